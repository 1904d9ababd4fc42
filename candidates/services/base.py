"""What the services of the candidates app share: the fields of a person's record, pinyin initials."""

from pypinyin import Style, lazy_pinyin

# Fields of a candidate that the registry form and the import write; status, stage and tier are
# the workflow's.
PERSONAL_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "id_number",
    "birth_date",
    "phone",
    "education",
    "political_status",
    "source",
    "village",
    "industry",
    "household_income",
    "notes",
)


def pinyin_initials(name: str) -> str:
    """王大勇 → "wdy", for searching by the first letters that clerks type."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
