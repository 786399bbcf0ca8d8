"""Small pieces shared by the forms of every app."""

from __future__ import annotations


class NothingCutOff:
    """A form mixin: no `maxlength` attribute on its inputs. A browser stops typing, and cuts
    pasted text, at maxlength without a word, so a long name would be stored shortened without
    anyone noticing. Without the attribute the whole text reaches the server, whose max_length
    check answers with a form error that says the limit and how long the text was."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)
