"""Demo data: a realistic organisation for `manage.py seed_demo`, the same for the same seed.

The data is made by steps. This module holds the runner and the project register's steps
(users, reference data, projects). Another area adds its own data by defining `DEMO_STEPS` in
its own `demo.py` (e.g. `resources/demo.py`); the command runs every area's steps in the order
of INSTALLED_APPS, which is also the order of dependency, and flushes them in reverse.

Every random choice comes from a `random.Random` seeded from the seed and the step's name, so a
step draws the same values whatever steps run before it. Dates are relative to today.
"""

import importlib
import math
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from importlib.util import find_spec
from itertools import accumulate
from pathlib import Path
from string import Formatter

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.test.utils import override_settings
from simple_history.utils import bulk_create_with_history

from pmo_portal.models import UserSettings
from pmo_portal.roles import Role

from .models import Currency, Department, ExchangeRate, Project, ProjectType, Tag

SIZES = ("small", "large")
BATCH_SIZE = 1000
DEMO_PASSWORD = "demo"
# Marks the users the demo made, so that --flush removes them and nobody else.
DEMO_EMAIL_DOMAIN = "example.com"

User = get_user_model()


@dataclass
class DemoContext:
    """What the steps made so far, for the steps after them, and the counts for the summary."""

    size: str
    today: date
    password_hash: str
    admin: object = None
    logins: dict = field(default_factory=dict)
    managers: list = field(default_factory=list)
    sponsors: list = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    project_types: list[ProjectType] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoStep:
    """One part of the demo data: `seed` adds it, `flush` removes it (and its history)."""

    name: str
    seed: Callable[[DemoContext, random.Random], None]
    flush: Callable[[], None]


def discover_demo_steps() -> list[DemoStep]:
    """The `DEMO_STEPS` of every project app's `demo` module, in INSTALLED_APPS order."""
    steps = []
    for app_config in apps.get_app_configs():
        if Path(app_config.path).parent != Path(settings.BASE_DIR):
            continue  # only the project's own apps; a third-party `demo` module is not ours
        module_name = f"{app_config.name}.demo"
        if find_spec(module_name) is None:
            continue
        steps.extend(getattr(importlib.import_module(module_name), "DEMO_STEPS", []))
    return steps


def flush_demo_data(steps: list[DemoStep]) -> None:
    """Remove what the steps make, last step first, so nothing is protected by what remains."""
    # The history of the removed rows goes too; recording their deletion would be thrown away.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        for step in reversed(steps):
            step.flush()


def seed_demo_data(steps: list[DemoStep], *, size: str, seed: int) -> DemoContext:
    """Run every step; the caller wraps this in a transaction."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {SIZES}, not {size!r}")
    context = DemoContext(size=size, today=date.today(), password_hash=make_password(DEMO_PASSWORD))
    for step in steps:
        step.seed(context, random.Random(f"{seed}:{step.name}"))
    return context


# --- people -------------------------------------------------------------------------------

# username, first name, last name, role
DEMO_LOGINS = [
    ("admin", "Daniel", "Hughes", Role.PMO_ADMIN),
    ("pmo", "Paula", "Ortiz", Role.PMO_ANALYST),
    ("pm", "Wei", "Li", Role.PROJECT_MANAGER),
    ("resource", "Sarah", "Thompson", Role.RESOURCE_MANAGER),
    ("exec", "Jing", "Chen", Role.EXECUTIVE),
]

PEOPLE_COUNTS = {  # size: (project managers, sponsors), besides the demo logins
    "small": (12, 5),
    "large": (400, 60),
}

ENGLISH_FIRST_NAMES = [
    "James", "Emma", "Oliver", "Sophie", "Michael", "Laura", "Daniel", "Hannah", "Thomas",
    "Charlotte", "David", "Julia", "Robert", "Anna", "Peter", "Claire", "Mark", "Rachel", "Lucas",
    "Maria", "Stefan", "Ingrid", "Paul", "Helen", "Andrew", "Sarah", "Marco", "Elena", "Chris",
    "Nadia", "Jonathan", "Fiona", "Tobias", "Katrin", "Samuel", "Priya", "Ravi", "Amelia",
]  # fmt: skip
ENGLISH_LAST_NAMES = [
    "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Walker", "Wright",
    "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris",
    "Martin", "Jackson", "Clarke", "Lewis", "Turner", "Hill", "Moore", "Schmidt", "Müller",
    "Fischer", "Rossi", "Bianchi", "Dubois", "Laurent", "Novak", "Berg", "Nair", "O'Brien",
]  # fmt: skip
CHINESE_FAMILY_NAMES = [
    ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
    ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"),
    ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("林", "Lin"),
    ("高", "Gao"), ("罗", "Luo"), ("郑", "Zheng"), ("梁", "Liang"),
]  # fmt: skip
CHINESE_GIVEN_NAMES = [
    ("芳", "Fang"), ("伟", "Wei"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"), ("丽", "Li"),
    ("强", "Qiang"), ("磊", "Lei"), ("军", "Jun"), ("洋", "Yang"), ("勇", "Yong"), ("艳", "Yan"),
    ("杰", "Jie"), ("涛", "Tao"), ("明", "Ming"), ("超", "Chao"), ("秀英", "Xiuying"),
    ("晓燕", "Xiaoyan"), ("建华", "Jianhua"), ("志强", "Zhiqiang"), ("海燕", "Haiyan"),
    ("俊杰", "Junjie"), ("思远", "Siyuan"), ("雨涵", "Yuhan"), ("子豪", "Zihao"), ("欣怡", "Xinyi"),
]  # fmt: skip


def _invent_people(rng: random.Random, count: int, taken: set[str]) -> list[tuple[str, str, str]]:
    """`count` new (username, first_name, last_name); usernames are added to `taken`.

    About a third are written in Chinese characters. Those keep the whole name, family name
    first, in first_name: Django's get_full_name() puts first before last, which would print
    "芳 王" for 王芳.
    """
    people = []
    for _ in range(count):
        style = rng.random()
        if style < 0.4:
            first, last = rng.choice(ENGLISH_FIRST_NAMES), rng.choice(ENGLISH_LAST_NAMES)
            handle = f"{first}.{last}"
        else:
            family_zh, family_pinyin = rng.choice(CHINESE_FAMILY_NAMES)
            given_zh, given_pinyin = rng.choice(CHINESE_GIVEN_NAMES)
            handle = f"{given_pinyin}.{family_pinyin}"
            if style < 0.7:
                first, last = given_pinyin, family_pinyin
            else:
                first, last = family_zh + given_zh, ""
        base = re.sub(r"[^a-z.]", "", handle.lower().replace("ü", "u"))
        username, number = base, 1
        while username in taken:
            number += 1
            username = f"{base}{number}"
        taken.add(username)
        people.append((username, first, last))
    return people


def seed_users(context: DemoContext, rng: random.Random) -> None:
    """The demo logins, project managers and sponsors, each in their role's group."""
    managers_count, sponsors_count = PEOPLE_COUNTS[context.size]
    existing = User.objects.in_bulk(field_name="username")
    taken = set(existing) | {username for username, *_ in DEMO_LOGINS}
    managers = _invent_people(rng, managers_count, taken)
    sponsors = _invent_people(rng, sponsors_count, taken)

    wanted = [(username, first, last, role) for username, first, last, role in DEMO_LOGINS]
    wanted += [(username, first, last, Role.PROJECT_MANAGER) for username, first, last in managers]
    wanted += [(username, first, last, Role.EXECUTIVE) for username, first, last in sponsors]

    new_users = [
        User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@{DEMO_EMAIL_DOMAIN}",
            password=context.password_hash,
            is_staff=username == "admin",
            is_superuser=username == "admin",
        )
        for username, first, last, _role in wanted
        if username not in existing
    ]
    created = User.objects.bulk_create(new_users, batch_size=BATCH_SIZE)
    users = {**existing, **{user.username: user for user in created}}

    groups = Group.objects.in_bulk(field_name="name")
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [
            Membership(user_id=users[username].pk, group_id=groups[role].pk)
            for username, _first, _last, role in wanted
        ],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )

    context.logins = {username: users[username] for username, *_ in DEMO_LOGINS}
    context.admin = context.logins["admin"]
    context.managers = [users[username] for username, _first, _last in managers]
    context.sponsors = [context.logins["exec"]] + [users[u] for u, _first, _last in sponsors]
    UserSettings.objects.update_or_create(user=context.logins["pm"], defaults={"language": "en"})
    context.summary["users"] = len(wanted)


def flush_users() -> None:
    """Remove the users the demo made; superusers (such as `admin`) stay."""
    demo_users = User.objects.filter(is_superuser=False, email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    UserSettings.history.filter(user_id__in=demo_users.values("pk")).delete()
    demo_users.delete()


# --- reference data -----------------------------------------------------------------------

# code, English, Chinese, [sub-departments]; the first ones are the divisions of the small size.
DIVISIONS = [
    ("FIN", "Finance", "财务部", [
        ("FIN-ACC", "Accounting", "会计部"),
        ("FIN-FPA", "Financial Planning & Analysis", "财务计划与分析部"),
        ("FIN-TRS", "Treasury", "资金管理部"),
        ("FIN-TAX", "Tax", "税务部"),
    ]),
    ("IT", "Information Technology", "信息技术部", [
        ("IT-APP", "Enterprise Applications", "企业应用部"),
        ("IT-INF", "Infrastructure & Operations", "基础设施与运维部"),
        ("IT-SEC", "Information Security", "信息安全部"),
        ("IT-DAT", "Data & Analytics", "数据与分析部"),
    ]),
    ("OPS", "Operations", "运营部", [
        ("OPS-MFG", "Manufacturing", "生产制造部"),
        ("OPS-QA", "Quality Assurance", "质量保证部"),
        ("OPS-FAC", "Facilities", "设施管理部"),
        ("OPS-EHS", "Environment, Health & Safety", "环境健康安全部"),
    ]),
    ("SAM", "Sales & Marketing", "销售与市场部", [
        ("SAM-DOM", "Domestic Sales", "国内销售部"),
        ("SAM-MKT", "Marketing", "市场部"),
        ("SAM-INT", "International Sales", "国际销售部"),
        ("SAM-CS", "Customer Service", "客户服务部"),
    ]),
    ("RD", "Research & Development", "研发部", [
        ("RD-PRD", "Product Engineering", "产品工程部"),
        ("RD-ADV", "Advanced Research", "前沿技术研究部"),
        ("RD-TST", "Testing & Validation", "测试验证部"),
    ]),
    ("SCM", "Supply Chain", "供应链部", [
        ("SCM-PRO", "Procurement", "采购部"),
        ("SCM-LOG", "Logistics", "物流部"),
        ("SCM-WH", "Warehousing", "仓储部"),
        ("SCM-PLN", "Demand Planning", "需求计划部"),
    ]),
    ("HR", "Human Resources", "人力资源部", [
        ("HR-TAL", "Talent Acquisition", "招聘部"),
        ("HR-LD", "Learning & Development", "培训发展部"),
        ("HR-CB", "Compensation & Benefits", "薪酬福利部"),
    ]),
    ("LEG", "Legal & Compliance", "法务与合规部", [
        ("LEG-CON", "Contracts", "合同管理部"),
        ("LEG-CMP", "Compliance", "合规部"),
        ("LEG-IP", "Intellectual Property", "知识产权部"),
    ]),
    ("STR", "Strategy & PMO", "战略与项目管理部", [
        ("STR-PMO", "Project Management Office", "项目管理办公室"),
        ("STR-BD", "Business Development", "业务发展部"),
    ]),
    ("ADM", "Corporate Affairs", "企业事务部", [
        ("ADM-PR", "Public Relations", "公共关系部"),
        ("ADM-GA", "General Administration", "行政部"),
    ]),
]  # fmt: skip

REGIONS = [  # code, English, Chinese
    ("E", "East China", "华东区"),
    ("N", "North China", "华北区"),
    ("S", "South China", "华南区"),
    ("SW", "Southwest China", "西南区"),
    ("C", "Central China", "华中区"),
]
# The large organisation has regional units below these sub-departments.
REGIONAL_PARENTS = ["SAM-DOM", "SCM-LOG", "SCM-WH", "OPS-MFG"]

DEPARTMENT_SHAPES = {  # size: (divisions, sub-departments per division, regional units)
    "small": (6, 2, False),
    "large": (len(DIVISIONS), 4, True),
}

# English, Chinese, share of projects, divisions whose departments mostly run this type
PROJECT_TYPES = [
    ("IT system", "信息系统", 25, ["IT", "FIN", "HR", "SCM"]),
    ("Infrastructure", "基础设施", 14, ["IT", "OPS", "SCM"]),
    ("Product development", "产品开发", 14, ["RD", "SAM"]),
    ("Process improvement", "流程改进", 14, ["FIN", "OPS", "SCM", "HR"]),
    ("Compliance", "合规", 9, ["LEG", "FIN", "IT"]),
    ("Business change", "业务变革", 12, ["STR", "HR", "FIN", "SAM"]),
    ("Research", "研究", 6, ["RD"]),
    ("Facilities", "设施建设", 6, ["OPS", "ADM"]),
]

TAG_NAMES = [
    "cloud", "regulatory", "cost-saving", "customer", "digital", "sustainability", "security",
    "ai", "quick-win", "strategic",
]  # fmt: skip


def _department_tree(size: str) -> list[list[tuple[str, str, str, str | None]]]:
    """The departments of a size as levels of (code, English, Chinese, parent code)."""
    divisions_count, subs_count, with_regions = DEPARTMENT_SHAPES[size]
    levels: list[list[tuple[str, str, str, str | None]]] = [[], [], []]
    for code, name, name_zh, subs in DIVISIONS[:divisions_count]:
        levels[0].append((code, name, name_zh, None))
        for sub_code, sub_name, sub_name_zh in subs[:subs_count]:
            levels[1].append((sub_code, sub_name, sub_name_zh, code))
            if with_regions and sub_code in REGIONAL_PARENTS:
                for region_code, region, region_zh in REGIONS:
                    levels[2].append(
                        (
                            f"{sub_code}-{region_code}",
                            f"{sub_name} – {region}",
                            f"{sub_name_zh}{region_zh}",
                            sub_code,
                        )
                    )
    return levels


def seed_reference_data(context: DemoContext, rng: random.Random) -> None:
    """The department tree, the project types and the tag pool (existing rows are kept)."""
    departments = Department.objects.in_bulk(field_name="code")
    for level in _department_tree(context.size):
        new = [
            Department(code=code, name=name, name_zh_hans=name_zh, parent=departments[parent])
            if parent
            else Department(code=code, name=name, name_zh_hans=name_zh)
            for code, name, name_zh, parent in level
            if code not in departments
        ]
        created = bulk_create_with_history(
            new, Department, batch_size=BATCH_SIZE, default_user=context.admin
        )
        departments.update({department.code: department for department in created})
    wanted_codes = [code for level in _department_tree(context.size) for code, *_ in level]
    context.departments = [departments[code] for code in wanted_codes]

    project_types = ProjectType.objects.in_bulk(field_name="name")
    created = bulk_create_with_history(
        [
            ProjectType(name=name, name_zh_hans=name_zh)
            for name, name_zh, _share, _divisions in PROJECT_TYPES
            if name not in project_types
        ],
        ProjectType,
        default_user=context.admin,
    )
    project_types.update({project_type.name: project_type for project_type in created})
    context.project_types = [project_types[name] for name, *_ in PROJECT_TYPES]

    _add_missing_exchange_rates(context)

    Tag.objects.bulk_create([Tag(name=name) for name in TAG_NAMES], ignore_conflicts=True)
    tags = Tag.objects.in_bulk(TAG_NAMES, field_name="name")
    context.tags = [tags[name] for name in TAG_NAMES]

    context.summary["departments"] = len(context.departments)
    context.summary["project types"] = len(context.project_types)
    context.summary["tags"] = len(context.tags)


def _add_missing_exchange_rates(context: DemoContext) -> None:
    """Rates for the demo's currencies, so that portfolio totals count every budget.

    Rates kept in the admin stay as they are, and --flush leaves them: they are not demo data.
    """
    reporting = settings.DEFAULT_CURRENCY
    if reporting not in CURRENCIES:
        return  # no rate to it is known here; totals then show the reporting currency only
    reporting_in_cny = CURRENCIES[reporting][1]
    known = set(ExchangeRate.objects.values_list("currency", flat=True))
    bulk_create_with_history(
        [
            ExchangeRate(
                currency=currency,
                rate=(cny_per_unit / reporting_in_cny).quantize(Decimal("0.00000001")),
            )
            for currency, (_share, cny_per_unit) in CURRENCIES.items()
            if currency != reporting and currency not in known
        ],
        ExchangeRate,
        default_user=context.admin,
    )


def flush_reference_data() -> None:
    Tag.objects.all().delete()
    ProjectType.history.all().delete()
    ProjectType.objects.all().delete()
    Department.history.all().delete()
    Department.objects.update(parent=None)  # the tree protects parents from deletion
    Department.objects.all().delete()


# --- projects -----------------------------------------------------------------------------

PROJECT_COUNTS = {"small": 60, "large": 5000}
PM_PROJECT_COUNTS = {"small": 8, "large": 15}  # how many projects the `pm` login runs

STATUS_WEIGHTS = {
    Project.Status.PROPOSED: 12,
    Project.Status.APPROVED: 10,
    Project.Status.ACTIVE: 40,
    Project.Status.ON_HOLD: 6,
    Project.Status.CLOSED: 25,
    Project.Status.CANCELLED: 7,
}
PRIORITY_WEIGHTS = {
    Project.Priority.LOW: 20,
    Project.Priority.MEDIUM: 45,
    Project.Priority.HIGH: 27,
    Project.Priority.CRITICAL: 8,
}
# currency: (share of projects, CNY per unit); budgets in every currency are of the same size
CURRENCIES = {
    Currency.CNY: (80, Decimal("1")),
    Currency.USD: (12, Decimal("7.2")),
    Currency.EUR: (8, Decimal("7.8")),
}
CHINESE_NAME_SHARE = 1 / 3

# Values for the {slots} of the name and description templates: (English, Chinese).
NAME_SLOTS = {
    "system": [
        ("ERP", "ERP"), ("CRM", "客户关系管理"), ("HR Information System", "人力资源信息"),
        ("Supplier Portal", "供应商门户"), ("Data Warehouse", "数据仓库"),
        ("E-commerce Platform", "电子商务"), ("Document Management", "文档管理"),
        ("Treasury Management", "资金管理"), ("Manufacturing Execution System", "制造执行"),
        ("Business Intelligence", "商业智能"), ("Warehouse Management System", "仓储管理"),
        ("Expense Management", "费用报销"), ("Contract Management", "合同管理"),
        ("Customer Service Portal", "客户服务"), ("Payroll", "薪酬"),
        ("Quality Management System", "质量管理"),
    ],
    "site": [
        ("Shanghai", "上海"), ("Beijing", "北京"), ("Shenzhen", "深圳"), ("Guangzhou", "广州"),
        ("Suzhou", "苏州"), ("Chengdu", "成都"), ("Wuhan", "武汉"), ("Tianjin", "天津"),
        ("Hangzhou", "杭州"), ("Xi'an", "西安"), ("Singapore", "新加坡"),
        ("Nanjing", "南京"), ("Qingdao", "青岛"), ("Xiamen", "厦门"), ("Chongqing", "重庆"),
        ("Dalian", "大连"), ("Frankfurt", "法兰克福"), ("Munich", "慕尼黑"),
        ("Chicago", "芝加哥"), ("Ho Chi Minh City", "胡志明市"),
    ],
    "region": [(region, region_zh) for _code, region, region_zh in REGIONS],
    "platform": [
        ("Network", "网络"), ("Storage", "存储"), ("Backup", "备份"), ("Wi-Fi", "无线网络"),
        ("Virtualisation Platform", "虚拟化平台"), ("SD-WAN", "SD-WAN"), ("Firewall", "防火墙"),
        ("Video Conferencing", "视频会议"), ("Server", "服务器"),
    ],
    "product": [
        ("Smart Meter", "智能电表"), ("Industrial Sensor", "工业传感器"),
        ("Customer Mobile App", "客户移动应用"), ("Home Energy Storage Unit", "家用储能设备"),
        ("Payment Terminal", "支付终端"), ("EV Charger", "电动汽车充电桩"),
        ("Smart Thermostat", "智能温控器"), ("Air Purifier", "空气净化器"),
    ],
    "market": [
        ("Southeast Asia", "东南亚市场"), ("Europe", "欧洲市场"), ("Middle East", "中东市场"),
        ("Latin America", "拉美市场"), ("Domestic Market", "国内市场"),
    ],
    "process": [
        ("Order-to-Cash", "订单到收款"), ("Procure-to-Pay", "采购到付款"),
        ("Month-end Close", "月末结账"), ("Invoice Processing", "发票处理"),
        ("Demand Planning", "需求计划"), ("Customer Onboarding", "客户准入"),
        ("Inventory Counting", "库存盘点"), ("Employee Onboarding", "员工入职"),
        ("Returns Handling", "退货处理"),
    ],
    "regulation": [
        ("Data Security Law", "《数据安全法》"), ("PIPL", "《个人信息保护法》"), ("SOX", "SOX"),
        ("GDPR", "GDPR"), ("ISO 27001", "ISO 27001"), ("ESG Disclosure", "ESG信息披露"),
        ("Anti-bribery", "反商业贿赂"), ("Export Control", "出口管制"),
        ("MLPS 2.0 Cybersecurity", "网络安全等级保护2.0"),
    ],
    "topic": [
        ("Solid-state Battery", "固态电池"), ("Machine Vision Inspection", "机器视觉检测"),
        ("Generative AI Customer Service", "生成式AI客服"),
        ("Predictive Maintenance", "预测性维护"),
        ("Hydrogen Fuel Cell", "氢燃料电池"), ("Digital Twin", "数字孪生"),
        ("Recyclable Packaging", "可回收包装"), ("5G Private Network", "5G专网"),
    ],
    "company": [
        ("Hengtai Logistics", "恒泰物流"), ("Nordwerk GmbH", "诺德威克公司"),
        ("Pacific Components", "太平洋元件"), ("Jiahe Foods", "嘉禾食品"),
        ("Brightline Software", "明线软件"),
    ],
    "n": [("2", "二"), ("3", "三"), ("4", "四")],
}  # fmt: skip

# Per project type: name templates and one-line description templates, (English, Chinese).
NAME_TEMPLATES = {
    "IT system": [
        ("{system} Upgrade", "{system}系统升级"),
        ("{system} Implementation", "{system}系统实施"),
        ("{system} Replacement", "{system}系统替换"),
        ("{system} Rollout – {site}", "{site}{system}系统推广"),
        ("{system} Migration to the Cloud", "{system}系统云迁移"),
    ],
    "Infrastructure": [
        ("Data Centre Consolidation – {site}", "{site}数据中心整合"),
        ("{platform} Refresh – {site}", "{site}{platform}更新换代"),
        ("{platform} Upgrade", "{platform}升级"),
        ("{platform} Consolidation – {region}", "{region}{platform}整合"),
        ("Cloud Migration Wave {n}", "第{n}批应用上云迁移"),
        ("Warehouse Automation – {region}", "{region}仓储自动化"),
        ("Disaster Recovery Site – {site}", "{site}灾备中心建设"),
        ("Unified Communications Rollout – {region}", "{region}统一通信平台部署"),
    ],
    "Product development": [
        ("{product} Gen {n}", "第{n}代{product}研发"),
        ("Next-generation {product}", "新一代{product}研发"),
        ("{product} Launch – {market}", "{product}{market}上市"),
        ("{product} Cost-down Redesign", "{product}降本设计"),
    ],
    "Process improvement": [
        ("{process} Process Redesign", "{process}流程优化"),
        ("{process} Automation (RPA)", "{process}流程自动化（RPA）"),
        ("Lean {process} – {site}", "{site}{process}精益改进"),
        ("{process} Standardisation – {region}", "{region}{process}流程标准化"),
    ],
    "Compliance": [
        ("{regulation} Compliance Programme", "{regulation}合规项目"),
        ("{regulation} Readiness Assessment", "{regulation}合规评估"),
        ("{regulation} Controls Remediation", "{regulation}内控整改"),
        ("{regulation} Compliance – {site}", "{site}{regulation}合规落地"),
    ],
    "Business change": [
        ("Shared Service Centre – {site}", "{site}共享服务中心建设"),
        ("{unit} Operating Model Redesign", "{unit}运营模式转型"),
        ("Post-merger Integration – {company}", "{company}并购整合"),
        ("Sales Territory Realignment – {region}", "{region}销售区域调整"),
        ("{unit} Digital Transformation", "{unit}数字化转型"),
        ("Hybrid Working Programme – {site}", "{site}混合办公推行"),
    ],
    "Research": [
        ("{topic} Feasibility Study", "{topic}可行性研究"),
        ("{topic} Proof of Concept", "{topic}概念验证"),
        ("{topic} Pilot – {site}", "{site}{topic}试点"),
    ],
    "Facilities": [
        ("{site} Office Relocation", "{site}办公室搬迁"),
        ("{site} Plant Expansion", "{site}工厂扩建"),
        ("Rooftop Solar – {site}", "{site}屋顶光伏"),
        ("{site} Canteen Renovation", "{site}员工食堂改造"),
        ("{site} Warehouse Extension", "{site}仓库扩建"),
        ("Fire Safety Upgrade – {site}", "{site}消防系统升级"),
        ("{site} Laboratory Refurbishment", "{site}实验室改造"),
        ("LED Lighting Retrofit – {site}", "{site}LED照明改造"),
        ("EV Charging for Staff Car Parks – {site}", "{site}员工停车场充电桩建设"),
    ],
}
DESCRIPTION_TEMPLATES = {
    "IT system": [
        (
            "Replace the ageing {system} with a supported release and retire custom code.",
            "以受支持的新版本替换老旧的{system}系统，并清理定制开发代码。",
        ),
        (
            "Give {unit} one {system} with clean master data and standard reports.",
            "为{unit}建设统一的{system}系统，规范主数据和标准报表。",
        ),
    ],
    "Infrastructure": [
        (
            "Cut hosting cost and outage risk for the sites in {region}.",
            "降低{region}各站点的托管成本和停机风险。",
        ),
        (
            "Bring the infrastructure at {site} up to the group standard.",
            "按集团标准对{site}的基础设施进行现代化改造。",
        ),
        (
            "Move the workloads of {unit} to a standard, automated platform.",
            "将{unit}的业务系统迁移到标准化、自动化的平台。",
        ),
    ],
    "Product development": [
        (
            "Design, certify and launch the {product} for {market}.",
            "完成{product}面向{market}的设计、认证和上市。",
        ),
        (
            "Lower the unit cost of the {product} by 15% while meeting the new safety standard.",
            "在满足新安全标准的前提下，将{product}单位成本降低15%。",
        ),
    ],
    "Process improvement": [
        (
            "Shorten the {process} cycle time and remove manual hand-offs.",
            "缩短{process}周期，消除人工交接环节。",
        ),
        (
            "Run {process} the same way across {region}, with one set of KPIs.",
            "在{region}统一{process}流程和关键绩效指标。",
        ),
    ],
    "Compliance": [
        (
            "Close the gaps found in the {regulation} assessment before the external audit.",
            "在外部审计前完成{regulation}评估所发现问题的整改。",
        ),
        (
            "Put policies, controls and training in place for {regulation}.",
            "建立{regulation}相关的制度、控制措施和培训。",
        ),
    ],
    "Business change": [
        (
            "Move {unit} to the new operating model with clear roles and service levels.",
            "推动{unit}转向新运营模式，明确职责与服务水平。",
        ),
        (
            "Integrate {company} into group processes and systems within 12 months.",
            "在12个月内将{company}纳入集团流程和系统。",
        ),
    ],
    "Research": [
        (
            "Assess whether {topic} is technically and commercially viable for us.",
            "评估{topic}在技术和商业上的可行性。",
        ),
        (
            "Run a time-boxed {topic} trial in {site} and report the results.",
            "在{site}开展限时{topic}试验并汇报结果。",
        ),
    ],
    "Facilities": [
        (
            "Deliver the {site} works on time, within budget and without lost-time injuries.",
            "按时、按预算完成{site}工程，实现零损工事故。",
        ),
        (
            "Make room for growth in {site} while cutting energy use.",
            "为{site}的业务增长提供空间，同时降低能耗。",
        ),
    ],
}

CHINESE_DIGITS = "零一二三四五六七八九"


def _chinese_number(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (for 1-99, enough for phase numbers)."""
    tens, units = divmod(number, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十"
    return text + (CHINESE_DIGITS[units] if units else "")


def _template_slots(template: str) -> set[str]:
    return {slot for _text, slot, _spec, _conversion in Formatter().parse(template) if slot}


def _project_name(
    rng: random.Random, type_name: str, unit: tuple[str, str], used: Counter
) -> tuple[str, str]:
    """A (name, description) pair in one language, about the same things.

    `unit` is the (English, Chinese) name of the project's division. Names repeat less with a
    site added; a name used before gets a phase number ("... Phase 2", "...二期").
    """
    chinese = rng.random() < CHINESE_NAME_SHARE
    language = 1 if chinese else 0
    for attempt in range(12):
        slots = {slot: rng.choice(values)[language] for slot, values in NAME_SLOTS.items()}
        slots["unit"] = unit[language]
        templates = NAME_TEMPLATES[type_name]
        if attempt >= 3:  # five regions make few names: try a site instead
            templates = [pair for pair in templates if "{region}" not in pair[0]]
        english, chinese_template = rng.choice(templates)
        template = (english, chinese_template)[language]
        name_slots = _template_slots(english)
        if not name_slots & {"site", "region"} and (attempt >= 3 or rng.random() < 0.2):
            template = f"{{site}}{chinese_template}" if chinese else f"{english} – {{site}}"
            name_slots.add("site")
        name = template.format(**slots)
        if not used[name]:
            break
    # Only descriptions that mention nothing the name does not (the division aside).
    descriptions = [
        pair
        for pair in DESCRIPTION_TEMPLATES[type_name]
        if _template_slots(pair[0]) <= name_slots | {"unit"}
    ]
    description = rng.choice(descriptions)[language].format(**slots)
    used[name] += 1
    if used[name] > 1:
        phase = used[name]
        name = f"{name}{_chinese_number(phase)}期" if chinese else f"{name} Phase {phase}"
    return name, description


def _days(number: int) -> timedelta:
    return timedelta(days=number)


def _project_dates(rng: random.Random, status: str, today: date) -> dict[str, date | None]:
    """Planned, forecast and actual dates that make sense for a project in `status`."""
    duration = _days(rng.randint(3, 24) * 30 + rng.randint(-10, 10))
    dates: dict[str, date | None] = {}
    if status == Project.Status.PROPOSED:
        start = today + _days(rng.randint(30, 240))
        dates.update(planned_start=start, planned_end=start + duration)
    elif status == Project.Status.APPROVED:
        start = today + _days(rng.randint(-20, 150))
        forecast_start = max(start + _days(rng.randint(0, 30)), today + _days(7))
        dates.update(
            planned_start=start,
            planned_end=start + duration,
            forecast_start=forecast_start,
            forecast_end=forecast_start + duration + _days(rng.randint(0, 30)),
        )
    elif status in (Project.Status.ACTIVE, Project.Status.ON_HOLD):
        start = today - _days(rng.randint(30, 540))
        actual_start = start + _days(rng.randint(-10, 29))
        delay = _days(rng.randint(0, 20) if rng.random() < 0.55 else rng.randint(21, 150))
        if status == Project.Status.ON_HOLD:
            delay += _days(rng.randint(60, 180))
        dates.update(
            planned_start=start,
            planned_end=start + duration,
            forecast_start=actual_start,
            forecast_end=max(start + duration + delay, today + _days(rng.randint(14, 120))),
            actual_start=actual_start,
        )
    elif status == Project.Status.CLOSED:
        # Worked back from the end, which lies in the past.
        actual_end = today - _days(rng.randint(7, 900))
        actual_start = actual_end - duration - _days(rng.randint(-20, 90))
        start = actual_start - _days(rng.randint(-7, 30))
        dates.update(
            planned_start=start,
            planned_end=start + duration,
            forecast_start=actual_start,
            forecast_end=actual_end,
            actual_start=actual_start,
            actual_end=actual_end,
        )
    else:  # cancelled: stopped before or after it started
        start = today - _days(rng.randint(60, 1000))
        dates.update(planned_start=start, planned_end=start + duration)
        if rng.random() < 0.6:
            actual_start = start + _days(rng.randint(0, 30))
            stopped = min(actual_start + _days(rng.randint(30, 300)), today - _days(1))
            dates.update(actual_start=actual_start, actual_end=max(stopped, actual_start))
    return dates


def _budget(rng: random.Random, cny_per_unit: Decimal) -> Decimal:
    """Between 50 thousand and 50 million CNY (log-uniform), rounded to two significant digits."""
    value = 10 ** rng.uniform(math.log10(5e4), math.log10(5e7)) / float(cny_per_unit)
    step = 10 ** max(3, int(math.log10(value)) - 1)
    return Decimal(round(value / step) * step)


def _departments_by_division(departments: list[Department]) -> dict[str, list[Department]]:
    by_code = {department.pk: department for department in departments}
    grouped: dict[str, list[Department]] = {}
    for department in departments:
        top = department
        while top.parent_id is not None:
            top = by_code[top.parent_id]
        grouped.setdefault(top.code, []).append(department)
    return grouped


def _weighted(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _chunks(items: list, size: int = BATCH_SIZE) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def seed_projects(context: DemoContext, rng: random.Random) -> None:
    """The portfolio: projects in every status, with tags and their first history record."""
    today = context.today
    divisions = _departments_by_division(context.departments)
    preferred = {name: division_codes for name, _zh, _share, division_codes in PROJECT_TYPES}
    type_shares = {name: share for name, _zh, share, _divisions in PROJECT_TYPES}
    division_names = {code: (name, name_zh) for code, name, name_zh, _subs in DIVISIONS}
    # Some managers run more projects than others.
    manager_weights = list(accumulate(rng.uniform(0.5, 2.0) for _ in context.managers))
    used_names: Counter = Counter()

    projects, project_tags = [], []
    for number in range(1, PROJECT_COUNTS[context.size] + 1):
        project_type = rng.choices(
            context.project_types, weights=[type_shares[t.name] for t in context.project_types]
        )[0]
        homes = [code for code in preferred[project_type.name] if code in divisions]
        division = rng.choice(homes if homes and rng.random() < 0.75 else list(divisions))
        status = _weighted(rng, STATUS_WEIGHTS)
        currency = _weighted(rng, {code: weight for code, (weight, _r) in CURRENCIES.items()})
        unit = division_names[division]
        name, description = _project_name(rng, project_type.name, unit, used_names)
        projects.append(
            Project(
                code=f"PRJ-{number:05d}",
                name=name,
                description=description,
                project_type=project_type,
                department=rng.choice(divisions[division]),
                manager=rng.choices(context.managers, cum_weights=manager_weights)[0],
                sponsor=rng.choice(context.sponsors) if rng.random() < 0.85 else None,
                status=status,
                priority=_weighted(rng, PRIORITY_WEIGHTS),
                budget=_budget(rng, CURRENCIES[currency][1]),
                currency=currency,
                **_project_dates(rng, status, today),
            )
        )
        tag_count = rng.choice([0, 0, 0, 1, 1, 2, 3])
        project_tags.append(rng.sample(context.tags, tag_count))

    _give_projects_to_the_pm_login(
        rng, projects, context.logins["pm"], count=PM_PROJECT_COUNTS[context.size]
    )

    projects = bulk_create_with_history(
        projects, Project, batch_size=BATCH_SIZE, default_user=context.admin
    )
    _tag_projects_with_history(projects, project_tags)
    context.projects = projects
    context.summary["projects"] = len(projects)


def _give_projects_to_the_pm_login(
    rng: random.Random, projects: list[Project], pm, *, count: int
) -> None:
    """`pm` runs one project in each status and a few more, so every screen has something."""
    chosen = set()
    for status in Project.Status.values:
        candidates = [i for i, project in enumerate(projects) if project.status == status]
        if candidates:
            chosen.add(rng.choice(candidates))
    others = [i for i in range(len(projects)) if i not in chosen]
    chosen.update(rng.sample(others, max(0, min(count - len(chosen), len(others)))))
    for index in chosen:
        projects[index].manager = pm


def _tag_projects_with_history(projects: list[Project], project_tags: list[list[Tag]]) -> None:
    """Tag the projects, and put the tags in their first history record as a save would."""
    ProjectTag = Project.tags.through
    links = ProjectTag.objects.bulk_create(
        [
            ProjectTag(project_id=project.pk, tag_id=tag.pk)
            for project, tags in zip(projects, project_tags, strict=True)
            for tag in tags
        ],
        batch_size=BATCH_SIZE,
    )
    history_ids = {}
    for chunk in _chunks([project.pk for project in projects]):
        history_ids.update(
            Project.history.filter(id__in=chunk, history_type="+").values_list("id", "history_id")
        )
    HistoricalProjectTag = Project.history.model.tags.model
    HistoricalProjectTag.objects.bulk_create(
        [
            HistoricalProjectTag(
                history_id=history_ids[link.project_id],
                id=link.pk,
                project_id=link.project_id,
                tag_id=link.tag_id,
            )
            for link in links
        ],
        batch_size=BATCH_SIZE,
    )


def flush_projects() -> None:
    Project.history.model.tags.model.objects.all().delete()
    Project.history.all().delete()
    Project.objects.all().delete()


DEMO_STEPS = [
    DemoStep("users", seed_users, flush_users),
    DemoStep("reference data", seed_reference_data, flush_reference_data),
    DemoStep("projects", seed_projects, flush_projects),
]
