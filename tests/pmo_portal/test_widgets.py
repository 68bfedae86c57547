from django import forms

from pmo_portal.widgets import QuickSelect


class ChoiceForm(forms.Form):
    pick = forms.ChoiceField(
        choices=[("", "All"), ("a", "Alpha"), ("b", "<Beta & co>")], widget=QuickSelect
    )


def test_quick_select_renders_like_django_select():
    html = str(ChoiceForm(data={"pick": "b"})["pick"])
    assert html.startswith('<select name="pick"')
    assert 'id="id_pick"' in html and "required" in html
    assert '<option value="b" selected>&lt;Beta &amp; co&gt;</option>' in html
    assert '<option value="a">Alpha</option>' in html


def test_quick_select_selects_the_empty_choice_without_a_value():
    html = str(ChoiceForm()["pick"])
    assert html.count("selected") == 1
    assert '<option value="" selected>All</option>' in html
