import pytest

pytestmark = pytest.mark.django_db

# The home page is the portfolio health dashboard (tests/reports/test_dashboard.py); each area's
# pages pin their own query counts in that area's tests.


def test_amounts_are_grouped_in_both_languages():
    from django.utils import translation

    from pmo_portal.templatetags.portal import money

    with translation.override("en"):
        assert money(25000000, "CNY") == "25,000,000.00 CNY"
    with translation.override("zh-hans"):
        assert money(25000000, "CNY") == "25,000,000.00 CNY"
