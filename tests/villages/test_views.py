import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.factories import (
    AgencyBranchFactory,
    CommitteeSeatFactory,
    PairingFactory,
    ReserveFactory,
    StarRatingFactory,
    UserFactory,
    VillageFactory,
    benxi_township,
)
from villages.models import Village

pytestmark = pytest.mark.django_db


def village_names(response):
    return [row.record.region.name for row in response.context["table"].page.object_list]


def test_a_township_official_sees_only_the_villages_of_its_township(client_of):
    response = client_of("qianjin").get(reverse("villages:village_list"), {"per_page": 100})
    names = village_names(response)
    assert len(names) == 8
    assert "后邓村" in names
    assert "那家村" not in names
    assert response.context["table"].page.paginator.count == 8


def test_a_township_official_gets_404_for_a_village_of_another_township(client_of):
    najia = Village.objects.get(region__name="那家村")
    client = client_of("qianjin")
    assert client.get(reverse("villages:region_detail", args=[najia.pk])).status_code == 404
    assert client.get(reverse("admin:villages_village_change", args=[najia.pk])).status_code == 404
    assert client.get(reverse("villages:region_detail", args=["210422000000"])).status_code == 404


def test_the_township_admin_lists_only_its_own_villages(client_of):
    response = client_of("qianjin").get(reverse("admin:villages_village_changelist"))
    assert response.status_code == 200
    listed = {v.region.name for v in response.context["cl"].result_list}
    assert len(listed) == 8 and "后邓村" in listed and "那家村" not in listed


def test_the_admin_offers_a_township_official_only_its_own_villages_to_pick(client_of):
    response = client_of("qianjin").get(reverse("admin:villages_committeeseat_add"))
    choices = response.context["adminform"].form.fields["village"].queryset
    assert set(choices.values_list("region__parent__name", flat=True)) == {"千金乡"}


def test_a_county_reviewer_sees_its_county_and_not_the_next_one(client_of):
    client = client_of("xinbin")
    najia = Village.objects.get(region__name="那家村")
    duanzigou = Village.objects.get(region__name="椴子沟村")
    assert client.get(reverse("villages:region_detail", args=[najia.pk])).status_code == 200
    assert client.get(reverse("villages:region_detail", args=[duanzigou.pk])).status_code == 404
    response = client.get(reverse("villages:village_list"))
    assert response.context["table"].page.paginator.count == 190


def test_city_staff_see_every_village_of_the_city(client_of):
    response = client_of("city").get(reverse("villages:village_list"))
    assert response.context["table"].page.paginator.count == 582


def test_the_village_page_shows_its_records_committee_rating_and_pairing(client_of):
    hongshi = Village.objects.get(region__name="红石村")
    response = client_of("yushu").get(reverse("villages:region_detail", args=[hongshi.pk]))
    page = response.content.decode()
    assert "红石村" in page and "赤松茸" in page
    assert len(response.context["current_seats"]) >= 6
    assert response.context["star_ratings"][0].year == response.context["year"]
    assert response.context["pairings"][0].branch.agency.name in page
    assert response.context["meets_reserve_target"] is False


def test_drilling_down_from_city_to_county_to_township_to_village(client_of):
    client = client_of("city")
    city = client.get(reverse("villages:region_detail", args=["210400000000"]))
    counties = {row.region.name: row for row in city.context["summary"].children}
    assert len(counties) == 7
    assert sum(row.villages for row in counties.values()) == 582 == city.context["summary"].total.villages
    xinbin = counties["新宾满族自治县"]
    county = client.get(xinbin.region.get_absolute_url())
    townships = {row.region.name: row for row in county.context["summary"].children}
    assert "榆树乡" in townships and sum(r.villages for r in townships.values()) == xinbin.villages
    township = client.get(townships["榆树乡"].region.get_absolute_url())
    villages = {row.region.name: row for row in township.context["summary"].children}
    assert "红石村" in villages
    village = client.get(villages["红石村"].region.get_absolute_url())
    assert village.templates[0].name == "villages/village_detail.html"
    assert [c["label"] for c in village.context["breadcrumbs"]] == [
        "辽宁省",
        "抚顺市",
        "新宾满族自治县",
        "榆树乡",
        "红石村",
    ]


def test_breadcrumbs_link_only_inside_the_jurisdiction(client_of):
    response = client_of("yushu").get(reverse("villages:region_detail", args=["210422202201"]))
    links = {c["label"]: c["url"] for c in response.context["breadcrumbs"]}
    assert links == {
        "辽宁省": "",
        "抚顺市": "",
        "新宾满族自治县": "",
        "榆树乡": reverse("villages:region_detail", args=["210422202000"]),
        "红石村": "",
    }
    page = response.content.decode()
    with translation.override("zh-hans"):
        assert f'<nav aria-label="{translation.gettext("Breadcrumbs")}">' in page
    assert '<a href="/villages/210422202000/">榆树乡</a>' in page
    assert '<li class="breadcrumb-item active" aria-current="page">红石村</li>' in page


def test_filters_narrow_the_list(client_of):
    client = client_of("city")
    url = reverse("villages:village_list")
    by_region = client.get(url, {"region": "210422202000", "per_page": 100})
    assert set(r.record.region.parent.name for r in by_region.context["table"].page.object_list) == {"榆树乡"}
    by_name = client.get(url, {"q": "椴子沟"})
    assert village_names(by_name) == ["椴子沟村"]
    four_plus = client.get(url, {"stars": "4"})
    assert four_plus.context["table"].page.paginator.count == 541
    short = client.get(url, {"meets_reserve_target": "0"}).context["table"].page.paginator.count
    met = client.get(url, {"meets_reserve_target": "1"}).context["table"].page.paginator.count
    assert short > 0 and met > 0 and short + met == 582


def test_sorting_by_stars(client_of):
    response = client_of("qianjin").get(reverse("villages:village_list"), {"sort": "-stars"})
    stars = [row.record.stars for row in response.context["table"].page.object_list]
    assert stars == sorted(stars, reverse=True)


def _fill(township, count):
    branch = AgencyBranchFactory()
    for _ in range(count):
        village = VillageFactory(township=township)
        StarRatingFactory(village=village, year=2025)
        CommitteeSeatFactory(village=village)
        CommitteeSeatFactory(village=village, is_wealth_creator=False)
        ReserveFactory(village=village, kind="secretary")
        PairingFactory(village=village, branch=branch)


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"per_page": 100})
    assert response.status_code == 200
    return len(captured), response


def test_the_village_list_costs_the_same_queries_for_10_and_100_rows(
    client_of, django_assert_max_num_queries
):
    township = benxi_township()
    client = client_of(UserFactory(city_staff=True))
    url = reverse("villages:village_list")
    _fill(township, 10)
    ten, response = _queries(client, url)
    assert len(response.context["table"].page.object_list) == 10
    _fill(township, 90)
    with django_assert_max_num_queries(ten):
        _, response = _queries(client, url)
    assert len(response.context["table"].page.object_list) == 100


def test_the_region_page_costs_the_same_queries_for_10_and_100_villages(
    client_of, django_assert_max_num_queries
):
    township = benxi_township()
    client = client_of(UserFactory(city_staff=True))
    url = reverse("villages:region_detail", args=["210500000000"])
    _fill(township, 10)
    _fill(benxi_township(2), 1)
    ten, _ = _queries(client, url)
    _fill(township, 90)
    _fill(benxi_township(3), 5)
    with django_assert_max_num_queries(ten):
        _, response = _queries(client, url)
    assert response.context["summary"].total.villages == 106
