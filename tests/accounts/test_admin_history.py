"""The admin's history pages are read-only for every role (finding F1 of the probe).

django-simple-history's version page is a full ModelForm that saves on POST after checking only
"view or change"; the portal shows a version as text and refuses every write there.
"""

import datetime

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from candidates.models import Elimination, Objection, Promotion, PublicNotice, SelectionStandard
from tests.factories import CandidateFactory, CertificationFactory, ReserveFactory, StarRatingFactory
from villages.choices import RegionLevel
from villages.models import Region, StarRating, Village

pytestmark = pytest.mark.django_db


def _form_data(obj, **changes) -> dict:
    """What the version page's form would post: every field of `obj` as the admin widgets send it."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key:
            continue
        value = field.value_from_object(obj)
        if isinstance(field, models.BooleanField):
            if value:
                data[field.name] = "on"
            continue
        if value is None:
            value = ""
        elif isinstance(value, datetime.datetime):
            local = timezone.localtime(value)
            data[f"{field.name}_0"], data[f"{field.name}_1"] = local.date().isoformat(), f"{local:%H:%M:%S}"
            continue
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[field.name] = str(value)
    for name, value in changes.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            else:
                data.pop(name, None)
        else:
            data[name] = str(value)
    return data | {"_save": "保存"}


def _version_url(obj) -> str:
    opts = obj._meta
    version = obj.history.latest("history_date")
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[obj.pk, version.history_id]
    )


def _saved_state(obj):
    return {f.attname: f.value_from_object(obj) for f in obj._meta.concrete_fields}


@pytest.fixture
def najia():
    """那家村, a village of 永陵镇 (新宾): inside yongling's and xinbin's jurisdiction."""
    return Village.objects.get(region__name="那家村")


def _with_history(obj):
    obj.save()  # the demo's rows are bulk-loaded; a save leaves a version to open
    return obj


def _rejected_by_objection(village):
    certification = CertificationFactory(step=6, candidate__village=village, state="rejected")
    return _with_history(certification)


def _at_step_two(village):
    return _with_history(CertificationFactory(step=2, candidate__village=village))


def _approved_elimination(village, county):
    candidate = CandidateFactory(village=village, status="eliminated", stage="wealth_creator")
    return _with_history(
        Elimination.objects.create(
            candidate=candidate,
            reason="moved_away",
            details="迁往外地",
            state="approved",
            proposed_by=county,
            decided_by=county,
            decided_at=timezone.now(),
        )
    )


def _declined_reserve(village):
    return _with_history(ReserveFactory(village=village, status="declined"))


def _running_notice(village, county):
    certification = CertificationFactory(step=6, candidate__village=village)
    today = timezone.localdate()
    return _with_history(
        PublicNotice.objects.create(
            certification=certification,
            start_date=today,
            end_date=today + datetime.timedelta(days=6),
            working_days=5,
            published_by=county,
        )
    )


def _approved_promotion(village, county):
    candidate = CandidateFactory(village=village, status="active", stage="member_wealth_creator")
    return _with_history(
        Promotion.objects.create(
            candidate=candidate,
            from_stage="party_member",
            to_stage="member_wealth_creator",
            state="approved",
            evidence="领办合作社",
            cooperative="合作社",
            proposed_by=county,
            decided_at=timezone.now(),
        )
    )


def _upheld_objection(village, county):
    notice = _running_notice(village, county)
    return _with_history(
        Objection.objects.create(
            notice=notice,
            content="异议",
            status="upheld",
            ruling="属实",
            ruled_by=county,
            ruled_at=timezone.now(),
        )
    )


# The probe's reproductions: who posted, what, and the field that must not change.
def _cases(village, demo_user):
    county = demo_user("xinbin")
    yesterday = timezone.localdate() - datetime.timedelta(days=30)
    rating = StarRating.objects.filter(village=village).first() or StarRatingFactory(village=village)
    return [
        ("yongling", _rejected_by_objection(village), {"state": "in_progress"}),
        ("yongling", _at_step_two(village), {"step": 7}),
        ("yongling", _approved_elimination(village, county), {"state": "proposed"}),
        ("yongling", _declined_reserve(village), {"status": "confirmed"}),
        (
            "yongling",
            _running_notice(village, county),
            {"start_date": yesterday - datetime.timedelta(days=7), "end_date": yesterday},
        ),
        ("yongling", _with_history(rating), {"stars": 1 if rating.stars != 1 else 5}),
        ("yongling", _with_history(SelectionStandard.objects.get(number=15)), {"active": False}),
        ("city", _approved_promotion(village, county), {"state": "proposed"}),
        ("xinbin", _upheld_objection(village, county), {"status": "open"}),
    ]


def test_no_role_changes_a_record_by_posting_to_its_history_page(najia, demo_user, client_of):
    for username, obj, changes in _cases(najia, demo_user):
        client = client_of(username)
        url = _version_url(obj)
        before = _saved_state(obj)
        assert client.get(url).status_code == 200, f"{username} cannot read {url}"
        response = client.post(url, _form_data(obj, **changes))
        assert response.status_code == 405, f"{username} {obj._meta.model_name}: {response.status_code}"
        obj.refresh_from_db()
        assert _saved_state(obj) == before, f"{username} changed {obj._meta.model_name} through {url}"


def test_a_version_page_offers_no_form_and_no_revert_button(najia, demo_user, client_of):
    certification = _at_step_two(najia)
    page = client_of("admin").get(_version_url(certification)).content.decode()
    assert "<form" not in page.split('id="content-main"')[1]
    assert "_save" not in page and "恢复" not in page


def test_every_history_admin_refuses_a_post_whatever_the_role(najia, client_of):
    """Whatever admin class a model gets, its version page is read-only: checked for every registration."""
    admin_user = client_of("admin")
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, SimpleHistoryAdmin):
            continue
        pk_name = model._meta.pk.attname
        versioned = model.history.values_list(pk_name, flat=True)
        obj = model._default_manager.filter(pk__in=versioned[:50]).first()
        if obj is None:
            continue
        url = _version_url(obj)
        assert admin_user.post(url, _form_data(obj)).status_code == 405, url


def test_no_admin_form_offers_a_workflows_state_fields(client_of):
    """A workflow moves only through its service: whatever admin a model gets, and even for the
    administrator, its `workflow_fields` are never inputs of the change or add form."""
    admin_user = client_of("admin")
    checked = 0
    for model in admin.site._registry:
        fields = getattr(model, "workflow_fields", ())
        obj = model._default_manager.first()
        if not fields or obj is None:
            continue
        opts = model._meta
        for url in (
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_add"),
        ):
            response = admin_user.get(url)
            if response.status_code != 200:
                continue  # no add form at all
            form = response.context["adminform"].form
            assert not set(fields) & set(form.fields), f"{url} offers {set(fields) & set(form.fields)}"
            checked += 1
    assert checked >= 8


def test_a_records_key_is_never_an_input_of_its_change_form(client_of):
    """A region's division code, a village's region: changed in a form, Django would save a copy under
    the new key. Shown, not offered, even to the administrator."""
    admin_user = client_of("admin")
    region = Region.objects.filter(level=RegionLevel.VILLAGE, village__isnull=False).first()
    for url, key in (
        (reverse("admin:villages_region_change", args=[region.pk]), "code"),
        (reverse("admin:villages_village_change", args=[region.pk]), "region"),
    ):
        response = admin_user.get(url)
        assert response.status_code == 200, url
        assert key not in response.context["adminform"].form.fields, url
        assert region.pk in response.text
