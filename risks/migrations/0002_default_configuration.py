"""The PMO's starting configuration, which it then adjusts in the portal: the descriptions of the
probability and impact scales, the 5x5 matrix, review cadences and a risk breakdown structure
after the PMI's example RBS."""

from django.db import migrations

PROBABILITY = [
    (1, "Rare", "罕见", "Less than 10% likely; it has hardly ever happened on similar projects.",
     "可能性低于10%;同类项目几乎从未发生。"),
    (2, "Unlikely", "不太可能", "10-30% likely.", "可能性10%-30%。"),
    (3, "Possible", "可能", "30-50% likely.", "可能性30%-50%。"),
    (4, "Likely", "很可能", "50-80% likely.", "可能性50%-80%。"),
    (5, "Almost certain", "几乎确定", "More than 80% likely.", "可能性高于80%。"),
]  # fmt: skip
IMPACT = [
    (1, "Negligible", "可忽略", "Under 1% of the budget; no milestone moves.",
     "低于预算的1%;里程碑不受影响。"),
    (2, "Minor", "较小", "1-5% of the budget or up to a week late.", "预算的1%-5%或延误不超过一周。"),
    (3, "Moderate", "中等", "5-10% of the budget or up to a month late.",
     "预算的5%-10%或延误不超过一个月。"),
    (4, "Major", "重大", "10-20% of the budget or up to a quarter late.",
     "预算的10%-20%或延误不超过一个季度。"),
    (5, "Severe", "严重", "Over 20% of the budget, more than a quarter late, or the objective is lost.",
     "超过预算的20%、延误超过一个季度或目标无法实现。"),
]  # fmt: skip
CADENCE = {"critical": 7, "high": 14, "medium": 30, "low": 90}
CATEGORIES = [
    ("TEC", None, "Technical", "技术"),
    ("TEC-REQ", "TEC", "Requirements", "需求"),
    ("TEC-TEC", "TEC", "Technology", "技术方案"),
    ("TEC-QUA", "TEC", "Quality", "质量"),
    ("EXT", None, "External", "外部"),
    ("EXT-SUP", "EXT", "Suppliers and contracts", "供应商与合同"),
    ("EXT-REG", "EXT", "Regulation", "法规"),
    ("EXT-MKT", "EXT", "Market", "市场"),
    ("ORG", None, "Organisational", "组织"),
    ("ORG-RES", "ORG", "Resources", "资源"),
    ("ORG-FUN", "ORG", "Funding", "资金"),
    ("ORG-PRI", "ORG", "Priorities", "优先级"),
    ("PM", None, "Project management", "项目管理"),
    ("PM-EST", "PM", "Estimating", "估算"),
    ("PM-PLN", "PM", "Planning", "计划"),
    ("PM-COM", "PM", "Communication", "沟通"),
]


def default_level(probability, impact):
    score = probability * impact
    return (
        "critical" if score >= 20 else "high" if score >= 10 else "medium" if score >= 5 else "low"
    )


def configure(apps, schema_editor):
    ScaleLevel = apps.get_model("risks", "ScaleLevel")
    RiskMatrixCell = apps.get_model("risks", "RiskMatrixCell")
    ReviewCadence = apps.get_model("risks", "ReviewCadence")
    RiskCategory = apps.get_model("risks", "RiskCategory")
    for scale, levels in (("probability", PROBABILITY), ("impact", IMPACT)):
        for value, name, name_zh, description, description_zh in levels:
            ScaleLevel.objects.get_or_create(
                scale=scale, value=value,
                defaults={"name": name, "name_zh_hans": name_zh, "description": description,
                          "description_zh_hans": description_zh},
            )  # fmt: skip
    for probability in range(1, 6):
        for impact in range(1, 6):
            RiskMatrixCell.objects.get_or_create(
                probability=probability, impact=impact,
                defaults={"level": default_level(probability, impact)},
            )  # fmt: skip
    for level, days in CADENCE.items():
        ReviewCadence.objects.get_or_create(level=level, defaults={"days": days})
    made = {}
    for code, parent, name, name_zh in CATEGORIES:
        made[code], _ = RiskCategory.objects.get_or_create(
            code=code, defaults={"name": name, "name_zh_hans": name_zh, "parent": made.get(parent)}
        )


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]

    operations = [migrations.RunPython(configure, migrations.RunPython.noop)]
