"""The import file's format (DESIGN §9): its column headers, the choices they accept, the example row."""

import datetime

from candidates.choices import Education, Gender, PoliticalStatus, Recommender, Source
from candidates.identity import synthetic_id_number

# The template's columns, in order (DESIGN §9). The header texts are the file format: never translated.
NAME, GENDER, ETHNICITY, ID_NUMBER, PHONE = "姓名", "性别", "民族", "身份证号", "手机号"
EDUCATION, POLITICAL_STATUS, SOURCE, VILLAGE_CODE = "文化程度", "政治面貌", "人员类别", "村代码"
INDUSTRY, INCOME, RECOMMENDER, REASON = "主导产业", "家庭年收入(万元)", "推荐方式", "推荐理由"
BIRTH_DATE = "出生日期"
HEADERS = (
    NAME,
    GENDER,
    ETHNICITY,
    ID_NUMBER,
    PHONE,
    EDUCATION,
    POLITICAL_STATUS,
    SOURCE,
    VILLAGE_CODE,
    INDUSTRY,
    INCOME,
    RECOMMENDER,
    REASON,
)
# Accepted when present; then it must agree with the ID card number.
OPTIONAL_HEADERS = (BIRTH_DATE,)
# Columns whose cells may be left empty.
MAY_BE_EMPTY = {INDUSTRY, BIRTH_DATE}

# What clerks commonly write instead of the exact label; matched after the labels themselves.
ALIASES = {
    GENDER: {"男": Gender.MALE, "女": Gender.FEMALE, "男性": Gender.MALE, "女性": Gender.FEMALE},
    EDUCATION: {
        "小学": Education.PRIMARY,
        "初中": Education.JUNIOR_HIGH,
        "高中": Education.SENIOR_HIGH,
        "中专": Education.SENIOR_HIGH,
        "职高": Education.SENIOR_HIGH,
        "技校": Education.SENIOR_HIGH,
        "高中/中专": Education.SENIOR_HIGH,
        "高中(中专)": Education.SENIOR_HIGH,
        "大专": Education.COLLEGE,
        "专科": Education.COLLEGE,
        "大学专科": Education.COLLEGE,
        "本科": Education.BACHELOR,
        "大学本科": Education.BACHELOR,
        "研究生": Education.POSTGRADUATE,
        "硕士": Education.POSTGRADUATE,
        "博士": Education.POSTGRADUATE,
    },
    POLITICAL_STATUS: {
        "中共党员": PoliticalStatus.MEMBER,
        "党员": PoliticalStatus.MEMBER,
        "中共预备党员": PoliticalStatus.PROBATIONARY,
        "预备党员": PoliticalStatus.PROBATIONARY,
        "共青团员": PoliticalStatus.LEAGUE,
        "团员": PoliticalStatus.LEAGUE,
        "民主党派": PoliticalStatus.DEMOCRATIC_PARTY,
        "群众": PoliticalStatus.MASSES,
    },
    SOURCE: {
        "种养大户": Source.GROWER,
        "种养殖户": Source.GROWER,
        "种养能手": Source.GROWER,
        "退役军人": Source.VETERAN,
        "返乡大学生": Source.GRADUATE,
        "回乡大学生": Source.GRADUATE,
        "个体工商户": Source.BUSINESS_OWNER,
        "企业主": Source.BUSINESS_OWNER,
        "外出务工返乡人员": Source.MIGRANT_RETURNEE,
        "返乡务工人员": Source.MIGRANT_RETURNEE,
        "返乡农民工": Source.MIGRANT_RETURNEE,
        "其他": Source.OTHER,
    },
    RECOMMENDER: {
        "村党组织": Recommender.VILLAGE_ORGANISATION,
        "党员群众": Recommender.MEMBERS_AND_VILLAGERS,
        "村党组织推荐": Recommender.VILLAGE_ORGANISATION,
        "党员群众推荐": Recommender.MEMBERS_AND_VILLAGERS,
        "个人自荐": Recommender.SELF,
        "自荐": Recommender.SELF,
    },
}
CHOICE_COLUMNS = {
    GENDER: Gender,
    EDUCATION: Education,
    POLITICAL_STATUS: PoliticalStatus,
    SOURCE: Source,
    RECOMMENDER: Recommender,
}

# The template's example row carries this ID number, so a forgotten example is refused, not imported.
EXAMPLE_ID_NUMBER = synthetic_id_number("210422", datetime.date(1985, 3, 4), 7, True)
EXAMPLE_VILLAGE_CODE = "210422202201"
