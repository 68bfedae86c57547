# Django's zh_Hans formats, with amounts grouped by thousands as Chinese finance writes them
# (25,000,000.00 rather than 25000000.00).
from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
