"""The import template: the workbook clerks fill in, and the help on each of its columns."""

import io

import openpyxl
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from candidates.choices import ETHNICITIES, Education, Gender, PoliticalStatus, Recommender, Source, Track
from candidates.imports.columns import (
    BIRTH_DATE,
    CHOICE_COLUMNS,
    EDUCATION,
    ETHNICITY,
    EXAMPLE_ID_NUMBER,
    EXAMPLE_VILLAGE_CODE,
    GENDER,
    HEADERS,
    ID_NUMBER,
    INCOME,
    INDUSTRY,
    NAME,
    PHONE,
    POLITICAL_STATUS,
    REASON,
    RECOMMENDER,
    SOURCE,
    VILLAGE_CODE,
)

# Rows of the template pre-formatted (text columns, dropdowns).
TEMPLATE_ROWS = 2000


def _choice_labels(choices) -> list[str]:
    """The labels of `choices` in Chinese, as the file is written."""
    with translation.override("zh-hans"):
        return [str(label) for label in choices.labels]


def column_help() -> list[tuple[str, bool, str]]:
    """Each column of the template, whether it must be filled in, and what to write in it."""

    def one_of(choices):
        """The help of a choice column: its labels."""
        return _("One of: %(options)s.") % {"options": "、".join(_choice_labels(choices))}

    party, other = Track.PARTY_MEMBER.label, Track.WEALTH_CREATOR.label
    return [
        (NAME, True, _("Full name, as on the ID card.")),
        (GENDER, True, _("男 or 女; it must agree with the ID card number.")),
        (ETHNICITY, True, _("Full name of the ethnic group, e.g. 汉族, 满族, 朝鲜族.")),
        (
            ID_NUMBER,
            True,
            _(
                "18 characters, the last may be X. Keep the column formatted as text, or Excel turns the "
                "number into 2.10422E+17 and loses digits."
            ),
        ),
        (PHONE, True, _("Mainland mobile number, 11 digits.")),
        (EDUCATION, True, one_of(Education)),
        (
            POLITICAL_STATUS,
            True,
            one_of(PoliticalStatus)
            + " "
            + _(
                "Party members and probationary members are nominated on the track “%(party)s”, "
                "everyone else on “%(other)s”."
            )
            % {"party": party, "other": other},
        ),
        (SOURCE, True, one_of(Source)),
        (
            VILLAGE_CODE,
            True,
            _(
                "The village's 12-digit division code (统计用区划代码), e.g. 210422202201. Only villages "
                "in your jurisdiction."
            ),
        ),
        (INDUSTRY, False, _("The person's main line of business, e.g. 食用菌; may be left empty.")),
        (INCOME, True, _("Yearly household income in 万元 (ten thousand yuan): 8.5 means 85,000 yuan.")),
        (RECOMMENDER, True, one_of(Recommender)),
        (REASON, True, _("Why the person is recommended, in a sentence or two.")),
        (
            BIRTH_DATE,
            False,
            _(
                "Optional column, not in the template: a date such as 1985-03-04. When present it must "
                "agree with the ID card number."
            ),
        ),
    ]


def template_workbook(*, example_village_code: str = EXAMPLE_VILLAGE_CODE) -> bytes:
    """The import template: the header row, an example row, dropdowns, and a sheet explaining each column."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Candidates")
    guide = workbook.create_sheet(_("How to fill in"))
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="F2DCDB")

    sheet.append(HEADERS)
    example = [
        "王大勇",
        "男",
        "满族",
        EXAMPLE_ID_NUMBER,
        "13904130000",
        _choice_labels(Education)[2],
        _choice_labels(PoliticalStatus)[-1],
        _choice_labels(Source)[0],
        example_village_code,
        "食用菌",
        8.5,
        _choice_labels(Recommender)[0],
        "带头种植食用菌，带动20户农户增收",
    ]
    sheet.append(example)
    text_columns = {ID_NUMBER, PHONE, VILLAGE_CODE}
    for index, header in enumerate(HEADERS, start=1):
        letter = get_column_letter(index)
        sheet.cell(1, index).font = bold
        sheet.cell(1, index).fill = header_fill
        sheet.cell(2, index).font = Font(italic=True, color="808080")
        sheet.column_dimensions[letter].width = {ID_NUMBER: 22, REASON: 40}.get(header, 14)
        if header in text_columns:
            # Typed into a text column, an ID number keeps all 18 digits.
            sheet.column_dimensions[letter].number_format = "@"
            sheet.cell(2, index).number_format = "@"
    sheet.cell(2, 1).comment = Comment(_("Example row: delete it before importing."), "")
    sheet.freeze_panes = "A2"

    guide.append([_("Column"), _("Must be filled in"), _("What to write")])
    for header, required, text in column_help():
        guide.append([header, _("yes") if required else _("no"), text])
    for cell in guide[1]:
        cell.font = bold
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 12
    guide.column_dimensions["C"].width = 90
    # The lists behind the dropdowns, beside the explanations, where a clerk can read them too.
    lists = [(GENDER, _choice_labels(Gender)), (ETHNICITY, ETHNICITIES)] + [
        (header, _choice_labels(choices)) for header, choices in CHOICE_COLUMNS.items() if header != GENDER
    ]
    for offset, (header, options) in enumerate(lists):
        column = 5 + offset
        letter = get_column_letter(column)
        guide.cell(1, column, header).font = bold
        for row, option in enumerate(options, start=2):
            guide.cell(row, column, option)
        guide.column_dimensions[letter].width = 16
        validation = DataValidation(
            type="list",
            formula1=f"'{guide.title}'!${letter}$2:${letter}${len(options) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            error=_("Choose a value from the list."),
        )
        sheet.add_data_validation(validation)
        target = get_column_letter(HEADERS.index(header) + 1)
        validation.add(f"{target}2:{target}{TEMPLATE_ROWS}")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
