"""The 15 selection standards of DESIGN §5, as city staff find them before editing."""

from django.db import migrations

DEFAULT_STANDARDS = [
    (1, "政治立场坚定，拥护党的路线方针政策", True),
    (2, "遵纪守法，无违法犯罪记录", True),
    (3, "诚实守信，无不良信用记录", True),
    (4, "年龄18至45周岁（特别优秀的可放宽到50周岁）", True),
    (5, "具有初中及以上文化程度", True),
    (6, "身体健康", False),
    (7, "在本村居住或户籍在本村，或长期在本村从事种养殖业、经营活动", True),
    (8, "有一技之长或有致富项目", False),
    (9, "家庭年收入高于本村平均水平", False),
    (10, "有带领群众致富的意愿和能力", False),
    (11, "热心公益事业", False),
    (12, "群众认可度高（民主测评满意率达到80%以上）", False),
    (13, "与黑恶势力、宗族势力、宗教极端势力无牵连", True),
    (14, "无侵占、挪用集体资金资产行为", True),
    (15, "具有一定的组织协调能力", False),
]


def create_defaults(apps, schema_editor):
    SelectionStandard = apps.get_model("candidates", "SelectionStandard")
    for number, title, hard in DEFAULT_STANDARDS:
        SelectionStandard.objects.get_or_create(number=number, defaults={"title": title, "hard": hard})


class Migration(migrations.Migration):
    dependencies = [("candidates", "0002_initial")]
    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
