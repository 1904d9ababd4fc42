"""The POST forms of a page as a browser sees them: their fields with the values the page filled in, the
options of each select, and the submit buttons (with whether they are disabled)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    checkboxes: list[str] = field(default_factory=list)
    selects: dict[str, list[str]] = field(default_factory=dict)
    buttons: list[tuple[str, str, bool]] = field(default_factory=list)

    def button(self, value: str) -> tuple[str, str, bool] | None:
        return next((b for b in self.buttons if b[1] == value), None)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.form = Form(action=a.get("action", ""))
            self.forms.append(self.form)
        if self.form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "checkbox":
                self.form.checkboxes.append(name)
                if "checked" in a:
                    self.form.fields[name] = a.get("value") or "on"
            elif kind not in ("submit", "button", "file"):
                self.form.fields[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.form.fields[name] = ""
        elif tag == "select" and name:
            self.select = name
            self.form.selects[name] = []
        elif tag == "option" and self.select:
            value = a.get("value", "")
            self.form.selects[self.select].append(value)
            if "selected" in a:
                self.form.fields[self.select] = value
        elif tag == "button" and name:
            self.form.buttons.append((name, a.get("value", ""), "disabled" in a))

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.form is not None and self.textarea:
            self.form.fields[self.textarea] += data


def post_forms(page_html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(page_html)
    return parser.forms
