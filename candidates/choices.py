from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    PRIMARY = "primary", _("Primary school")
    JUNIOR_HIGH = "junior_high", _("Junior high school")
    SENIOR_HIGH = "senior_high", _("Senior high or technical secondary school")
    COLLEGE = "college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor's degree")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


# Education levels at or above junior high (standard 5 of the selection standards).
JUNIOR_HIGH_OR_ABOVE = {
    Education.JUNIOR_HIGH,
    Education.SENIOR_HIGH,
    Education.COLLEGE,
    Education.BACHELOR,
    Education.POSTGRADUATE,
}


class PoliticalStatus(models.TextChoices):
    MEMBER = "member", _("Party member")
    PROBATIONARY = "probationary", _("Probationary Party member")
    LEAGUE = "league", _("Communist Youth League member")
    DEMOCRATIC_PARTY = "democratic_party", _("Member of a democratic party")
    MASSES = "masses", _("Ordinary citizen")


PARTY_MEMBERSHIP = {PoliticalStatus.MEMBER, PoliticalStatus.PROBATIONARY}


class Source(models.TextChoices):
    """Where the programme found the person (DESIGN §4)."""

    GROWER = "grower", _("Local grower or breeder")
    VETERAN = "veteran", _("Veteran")
    GRADUATE = "graduate", _("Returning graduate")
    BUSINESS_OWNER = "business_owner", _("Business owner")
    MIGRANT_RETURNEE = "migrant_returnee", _("Returning migrant worker")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    """The rung of the ladder (DESIGN §4)."""

    WEALTH_CREATOR = "wealth_creator", _("Wealth-creator")
    PARTY_MEMBER = "party_member", _("Party member")
    MEMBER_WEALTH_CREATOR = "member_wealth_creator", _("Member wealth-creator")
    VILLAGE_CADRE = "village_cadre", _("Village cadre")
    VILLAGE_LEADER = "village_leader", _("Village secretary/director or industry leader")
    REVITALIZATION_LEADER = "revitalization_leader", _("Rural revitalization leader")


# Stages whose holder counts as a wealth-creator (all but a Party member not yet one).
WEALTH_CREATOR_STAGES = {s for s in Stage if s != Stage.PARTY_MEMBER}


class Track(models.TextChoices):
    """The direction a certification cultivates: the stage the person enters when filed."""

    WEALTH_CREATOR = "wealth_creator", _("Wealth-creator to Party member")
    PARTY_MEMBER = "party_member", _("Party member to wealth-creator")
    MEMBER_WEALTH_CREATOR = "member_wealth_creator", _("Member wealth-creator to village cadre")


class Status(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    CERTIFYING = "certifying", _("In certification")
    ACTIVE = "active", _("Active")
    ELIMINATED = "eliminated", _("Eliminated")
    REJECTED = "rejected", _("Rejected")


class Tier(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary")
    SENIOR = "senior", _("Senior")


class Recommender(models.TextChoices):
    VILLAGE_ORGANISATION = "village_organisation", _("Village Party organisation")
    MEMBERS_AND_VILLAGERS = "members_and_villagers", _("Party members and villagers")
    SELF = "self", _("Self-recommendation")


# The numbers of the certification's first and last steps; the steps themselves, their roles and
# rules are declared in candidates/workflow.py, which checks that it declares exactly these.
FIRST_STEP, LAST_STEP = 1, 7


class CertificationState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    FILED = "filed", _("Filed")
    REJECTED = "rejected", _("Rejected")


class Decision(models.TextChoices):
    PASS = "pass", _("Pass")
    RETURN = "return", _("Return to the previous step")
    REJECT = "reject", _("Reject")


class ObjectionChannel(models.TextChoices):
    WEB = "web", _("Public notice page")
    PHONE = "phone", _("Telephone")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("In person")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class PersonalDataPlace(models.TextChoices):
    """Where a user was shown a full ID card number and phone (each such view is logged)."""

    DETAIL = "detail", _("Candidate page")
    EDIT = "edit", _("Edit form")
    ADMIN = "admin", _("Administration record")
    ADMIN_HISTORY = "admin_history", _("Administration history")
    SEARCH = "search", _("Search by full ID card number")
    FORM_PDF = "form_pdf", _("Registration form (PDF)")


class HolidayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (no work)")
    WORKDAY = "workday", _("Adjusted working day")


ETHNICITIES = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
]


class PromotionState(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting the county")
    ENDORSED = "endorsed", _("Endorsed by the county, awaiting the city")
    RETURNED = "returned", _("Returned for more evidence")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


OPEN_PROMOTION_STATES = (PromotionState.PROPOSED, PromotionState.ENDORSED, PromotionState.RETURNED)


class PromotionAction(models.TextChoices):
    PROPOSE = "propose", _("Propose")
    RESUBMIT = "resubmit", _("Resubmit")
    ENDORSE = "endorse", _("Endorse and send to the city")
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for more evidence")
    REFUSE = "refuse", _("Refuse")


class EliminationReason(models.TextChoices):
    FAILED_ASSESSMENT = "failed_assessment", _("Failed the assessment")
    VIOLATION = "violation", _("Violation of law or discipline")
    MOVED_AWAY = "moved_away", _("Moved away")
    OWN_REQUEST = "own_request", _("At their own request")
    LOW_RECOGNITION = "low_recognition", _("Low recognition by villagers")
    OTHER = "other", _("Other")


class EliminationState(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting the county")
    APPROVED = "approved", _("Eliminated")
    REFUSED = "refused", _("Refused: stays in the programme")
