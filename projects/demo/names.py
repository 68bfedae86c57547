"""Names for the demo register: people, departments and regions, and the building blocks of
project names and descriptions, each in English and Chinese."""

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
