"""Names for the resource demo: roles, skills, non-human resources, public holidays and the
words of requests and decisions, in English and Chinese."""

import datetime

# key, English, Chinese, cost rate per hour in CNY at mid level, share of the staff,
# divisions where the role works ("*": any), the skills people in the role tend to have.
ROLES = [
    ("backend", "Backend developer", "后端开发工程师", 320, 10, ("IT", "RD", "SAM"),
     ("Python", "Django", "Java", "Spring Boot", "Go", "C# / .NET", "SQL", "PostgreSQL",
      "Docker")),
    ("frontend", "Frontend developer", "前端开发工程师", 300, 7, ("IT", "RD", "SAM"),
     ("JavaScript", "TypeScript", "React", "Vue.js", "UI design")),
    ("fullstack", "Full-stack developer", "全栈开发工程师", 330, 4, ("IT", "RD"),
     ("Python", "Django", "JavaScript", "TypeScript", "React", "SQL")),
    ("mobile", "Mobile developer", "移动开发工程师", 320, 3, ("IT", "SAM"),
     ("Android (Kotlin)", "iOS (Swift)", "JavaScript", "UI design")),
    ("test", "Test engineer", "测试工程师", 240, 6, ("IT", "RD", "OPS"),
     ("Test automation", "Performance testing", "SQL", "Python", "Requirements analysis")),
    ("test_automation", "Test automation engineer", "自动化测试工程师", 290, 3, ("IT", "RD"),
     ("Test automation", "Python", "Java", "Performance testing")),
    ("business_analyst", "Business analyst", "业务分析师", 300, 7,
     ("IT", "FIN", "SCM", "SAM", "HR", "STR", "LEG", "ADM"),
     ("Requirements analysis", "Business process modelling (BPMN)", "SQL", "SAP S/4HANA",
      "Power BI")),
    ("project_manager", "Project manager", "项目经理", 380, 5, ("*",),
     ("PMP", "PRINCE2", "Scrum", "Risk management", "Change management", "Stakeholder management")),
    ("programme_manager", "Programme manager", "项目群经理", 480, 1, ("STR", "IT", "OPS"),
     ("PMP", "PRINCE2", "Stakeholder management", "Risk management")),
    ("pmo_analyst", "PMO analyst", "项目管理办公室分析师", 300, 1, ("STR",),
     ("PMP", "Power BI", "Financial modelling", "Risk management")),
    ("resource_manager", "Resource manager", "资源经理", 320, 1, ("STR", "HR"),
     ("PMP", "Stakeholder management", "Change management")),
    ("scrum_master", "Scrum master", "Scrum 教练", 340, 2, ("IT", "RD"),
     ("Scrum", "Agile coaching", "Stakeholder management")),
    ("agile_coach", "Agile coach", "敏捷教练", 420, 1, ("STR", "IT"),
     ("Agile coaching", "Scrum", "Change management")),
    ("product_owner", "Product owner", "产品负责人", 380, 2, ("IT", "RD", "SAM"),
     ("Requirements analysis", "Scrum", "UX research", "Stakeholder management")),
    ("solution_architect", "Solution architect", "解决方案架构师", 520, 3, ("IT", "RD"),
     ("Java", "Alibaba Cloud", "Huawei Cloud", "AWS", "Kubernetes", "SAP S/4HANA", "SQL")),
    ("enterprise_architect", "Enterprise architect", "企业架构师", 600, 1, ("IT", "STR"),
     ("TOGAF", "Alibaba Cloud", "Microsoft Azure", "Business process modelling (BPMN)")),
    ("data_engineer", "Data engineer", "数据工程师", 380, 4, ("IT",),
     ("Python", "SQL", "Data warehousing", "Apache Spark", "Alibaba Cloud", "PostgreSQL")),
    ("data_scientist", "Data scientist", "数据科学家", 450, 2, ("IT", "RD", "SAM"),
     ("Python", "Machine learning", "SQL", "Power BI")),
    ("ux_designer", "UX designer", "用户体验设计师", 300, 3, ("IT", "SAM", "RD"),
     ("UX research", "UI design")),
    ("network_engineer", "Network engineer", "网络工程师", 300, 3, ("IT", "OPS"),
     ("Cisco networking", "Network security", "Linux")),
    ("dba", "Database administrator", "数据库管理员", 360, 2, ("IT",),
     ("Oracle Database", "PostgreSQL", "MySQL", "SQL", "Linux")),
    ("sysadmin", "System administrator", "系统管理员", 260, 3, ("IT", "OPS", "ADM"),
     ("Linux", "VMware vSphere", "Docker", "Microsoft Azure")),
    ("devops", "DevOps engineer", "DevOps 工程师", 380, 3, ("IT",),
     ("Kubernetes", "Docker", "Linux", "AWS", "Alibaba Cloud", "Python")),
    ("security_analyst", "Security analyst", "信息安全分析师", 420, 2, ("IT", "LEG"),
     ("Network security", "ISO/IEC 27001", "Linux", "Data protection (PIPL)")),
    ("sap_consultant", "SAP consultant", "SAP 顾问", 550, 3, ("IT", "FIN", "SCM"),
     ("SAP S/4HANA", "SAP FI/CO", "SAP MM", "Business process modelling (BPMN)")),
    ("technical_writer", "Technical writer", "技术文档工程师", 200, 1, ("IT", "RD"),
     ("Technical writing", "UX research")),
    ("change_manager", "Change manager", "变革管理经理", 360, 2, ("HR", "STR", "FIN"),
     ("Change management", "Training delivery", "Stakeholder management")),
    ("trainer", "Trainer", "培训师", 220, 1, ("HR",), ("Training delivery", "Change management")),
    ("financial_analyst", "Financial analyst", "财务分析师", 280, 3, ("FIN",),
     ("Financial modelling", "SAP FI/CO", "Power BI", "SQL")),
    ("procurement", "Procurement specialist", "采购专员", 200, 2, ("SCM",),
     ("Procurement", "SAP MM", "Contract management")),
    ("supply_planner", "Supply chain planner", "供应链计划员", 230, 2, ("SCM",),
     ("Demand planning", "SAP MM", "Lean Six Sigma")),
    ("mechanical_engineer", "Mechanical engineer", "机械工程师", 260, 3, ("RD", "OPS"),
     ("CAD", "Lean Six Sigma", "ISO 9001")),
    ("electrical_engineer", "Electrical engineer", "电气工程师", 260, 3, ("RD", "OPS"),
     ("PLC programming", "CAD")),
    ("quality_engineer", "Quality engineer", "质量工程师", 230, 2, ("OPS", "RD"),
     ("ISO 9001", "Lean Six Sigma")),
    ("facilities_engineer", "Facilities engineer", "设施工程师", 220, 1, ("OPS", "ADM"),
     ("Building services", "CAD")),
    ("legal_counsel", "Legal counsel", "法律顾问", 500, 1, ("LEG",),
     ("Contract management", "Data protection (PIPL)")),
    ("marketing", "Marketing specialist", "市场专员", 220, 2, ("SAM", "ADM"),
     ("Digital marketing", "CRM (Salesforce)", "Power BI")),
]  # fmt: skip

# English, Chinese (empty where the English name is what Chinese colleagues say too).
SKILLS = [
    ("Python", ""), ("Django", ""), ("Java", ""), ("Spring Boot", ""), ("Go", ""),
    ("C# / .NET", ""), ("JavaScript", ""), ("TypeScript", ""), ("React", ""), ("Vue.js", ""),
    ("Android (Kotlin)", "安卓开发 (Kotlin)"), ("iOS (Swift)", "iOS 开发 (Swift)"),
    ("SQL", ""), ("PostgreSQL", ""), ("Oracle Database", "Oracle 数据库"), ("MySQL", ""),
    ("SAP S/4HANA", ""), ("SAP FI/CO", "SAP 财务与控制"), ("SAP MM", "SAP 物料管理"),
    ("Alibaba Cloud", "阿里云"), ("Huawei Cloud", "华为云"), ("AWS", "亚马逊云 (AWS)"),
    ("Microsoft Azure", "微软 Azure"), ("Kubernetes", ""), ("Docker", ""), ("Linux", ""),
    ("VMware vSphere", ""), ("Cisco networking", "思科网络"), ("Network security", "网络安全"),
    ("ISO/IEC 27001", "信息安全管理体系 (ISO/IEC 27001)"), ("Data warehousing", "数据仓库"),
    ("Apache Spark", ""), ("Machine learning", "机器学习"), ("Power BI", ""),
    ("Requirements analysis", "需求分析"),
    ("Business process modelling (BPMN)", "业务流程建模 (BPMN)"), ("TOGAF", ""),
    ("Test automation", "自动化测试"), ("Performance testing", "性能测试"),
    ("UX research", "用户研究"), ("UI design", "界面设计"), ("PMP", "项目管理 (PMP)"),
    ("PRINCE2", ""), ("Scrum", ""), ("Agile coaching", "敏捷教练"),
    ("Risk management", "风险管理"), ("Stakeholder management", "干系人管理"),
    ("Change management", "变革管理"), ("Training delivery", "培训授课"),
    ("Financial modelling", "财务建模"), ("Procurement", "采购管理"),
    ("Contract management", "合同管理"), ("Demand planning", "需求计划"),
    ("Lean Six Sigma", "精益六西格玛"), ("ISO 9001", "质量管理体系 (ISO 9001)"),
    ("CAD", "计算机辅助设计 (CAD)"), ("PLC programming", "PLC 编程"),
    ("Building services", "楼宇设施管理"), ("Data protection (PIPL)", "个人信息保护 (PIPL)"),
    ("Technical writing", "技术写作"), ("Digital marketing", "数字营销"),
    ("CRM (Salesforce)", "客户关系管理 (Salesforce)"),
]  # fmt: skip

# Per-role utilisation targets besides the portal-wide one.
PORTAL_UTILISATION_TARGET = 80
ROLE_UTILISATION_TARGETS = {
    "project_manager": 70,
    "solution_architect": 75,
    "enterprise_architect": 65,
    "backend": 85,
    "frontend": 85,
    "test": 85,
}

# kind, English or Chinese name (with {n} for a number), division codes where it is kept,
# (lowest, highest) cost rate per hour in CNY
NON_HUMAN_RESOURCES = [
    ("equipment", "Performance test lab server {n}", ("IT",), (80, 200)),
    ("equipment", "GPU training node {n}", ("IT", "RD"), (300, 800)),
    ("equipment", "3D printer {n}", ("RD",), (60, 150)),
    ("equipment", "Spectrum analyser {n}", ("RD", "OPS"), (90, 220)),
    ("equipment", "Mobile device test rack {n}", ("IT",), (40, 90)),
    ("equipment", "叉车 {n} 号", ("SCM", "OPS"), (50, 120)),
    ("facility", "Training centre room {n}", ("HR", "ADM", "STR"), (100, 300)),
    ("facility", "Project war room {n}", ("STR", "IT"), (80, 200)),
    ("facility", "上海办公室会议室 {n}", ("ADM", "STR", "IT"), (80, 200)),
    ("facility", "Pilot production line {n}", ("OPS",), (400, 900)),
    ("facility", "洁净室 {n}", ("RD", "OPS"), (300, 700)),
    ("licence", "MATLAB licence pool {n}", ("RD",), (20, 60)),
    ("licence", "AutoCAD licence pool {n}", ("RD", "OPS"), (20, 50)),
    ("licence", "SAP test system licence {n}", ("IT", "FIN"), (100, 250)),
    ("licence", "Oracle Database licence {n}", ("IT",), (60, 150)),
    ("licence", "Load testing tool licence {n}", ("IT",), (30, 80)),
]

# Given names to add to the register's, so that ten thousand people repeat less.
MORE_CHINESE_GIVEN_NAMES = [
    ("晨", "Chen"), ("浩然", "Haoran"), ("梓涵", "Zihan"), ("一鸣", "Yiming"), ("佳怡", "Jiayi"),
    ("宇航", "Yuhang"), ("诗琪", "Shiqi"), ("博文", "Bowen"), ("婷", "Ting"), ("鹏", "Peng"),
    ("慧", "Hui"), ("斌", "Bin"), ("琳", "Lin"), ("凯", "Kai"), ("雪", "Xue"), ("帆", "Fan"),
    ("雅琴", "Yaqin"), ("国栋", "Guodong"), ("春梅", "Chunmei"), ("振华", "Zhenhua"),
    ("文静", "Wenjing"), ("立新", "Lixin"), ("美玲", "Meiling"), ("天宇", "Tianyu"),
    ("嘉欣", "Jiaxin"), ("子轩", "Zixuan"), ("晓明", "Xiaoming"), ("丹", "Dan"), ("亮", "Liang"),
    ("红梅", "Hongmei"), ("志明", "Zhiming"), ("玉兰", "Yulan"), ("建国", "Jianguo"),
    ("少华", "Shaohua"), ("淑珍", "Shuzhen"), ("金龙", "Jinlong"), ("欣然", "Xinran"),
    ("俊宇", "Junyu"), ("梦瑶", "Mengyao"), ("泽宇", "Zeyu"),
]  # fmt: skip
MORE_CHINESE_FAMILY_NAMES = [
    ("宋", "Song"), ("谢", "Xie"), ("韩", "Han"), ("唐", "Tang"), ("冯", "Feng"), ("于", "Yu"),
    ("董", "Dong"), ("萧", "Xiao"), ("程", "Cheng"), ("曹", "Cao"), ("袁", "Yuan"), ("邓", "Deng"),
    ("许", "Xu"), ("傅", "Fu"), ("沈", "Shen"), ("曾", "Zeng"), ("彭", "Peng"), ("吕", "Lyu"),
]  # fmt: skip

# The first day of the Spring Festival (the lunar new year's eve); the office closes for a week.
SPRING_FESTIVAL_EVE = {
    2024: datetime.date(2024, 2, 9),
    2025: datetime.date(2025, 1, 28),
    2026: datetime.date(2026, 2, 16),
    2027: datetime.date(2027, 2, 5),
    2028: datetime.date(2028, 1, 25),
    2029: datetime.date(2029, 2, 12),
    2030: datetime.date(2030, 2, 2),
    2031: datetime.date(2031, 1, 22),
    2032: datetime.date(2032, 2, 10),
}

LEAVE_NOTES = ["Annual leave", "年假", "Family trip", "探亲假", "Parental leave", ""]
TRAINING_NOTES = ["PMP exam preparation", "Cloud architecture course", "敏捷培训", "SAP 认证培训"]
MAINTENANCE_NOTES = ["Annual service", "Calibration", "年度检修", "Firmware upgrade"]

REQUEST_NOTES = [
    "For the build phase; the first weeks overlap with the current sprint team.",
    "Needed for data migration and cut-over rehearsals.",
    "To replace a team member who moves to another project.",
    "需要熟悉财务模块，配合上线准备。",
    "用于系统集成测试阶段。",
    "Part-time is fine if the person knows the legacy system.",
    "",
    "",
]
REJECTION_REASONS = [
    "Nobody with these skills is free in this period; please move the start or split the work.",
    "The project is not yet approved by the portfolio board; ask again after the gate decision.",
    "The role is wrong for this work: request a data engineer instead of a data scientist.",
    "The period overlaps the Spring Festival peak; the team is fully booked on year-end closing.",
    "该技能的人员本季度已全部分配，请调整开始日期。",
    "预算未获批准，请在项目批准后重新申请。",
]
