from django.contrib import admin
from django.urls import include, path

from portfolio.views import dashboard as portfolio_views
from reports.views import dashboard as report_dashboard
from reports.views import status as report_views
from risks.views import register as risk_views

from . import notification_views, views

urlpatterns = [
    path("", report_dashboard.dashboard, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", views.PortalLoginView.as_view(), name="login"),
    path("accounts/settings/", views.user_settings, name="user_settings"),
    path("accounts/language/", views.switch_language, name="switch_language"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("projects/", include("projects.urls")),
    path("portfolio/", portfolio_views.dashboard, name="portfolio"),
    path("portfolio/", include("portfolio.urls")),
    path("resources/", views.area_overview, {"area": "resources"}, name="resources"),
    path("resources/", include("resources.urls")),
    path("risks/", risk_views.RiskListView.as_view(), name="risks"),
    path("risks/", include("risks.urls")),
    path("reports/", report_views.StatusReportListView.as_view(), name="reports"),
    path("reports/", include("reports.urls")),
    path("notifications/", notification_views.notifications, name="notifications"),
    path("notifications/read/", notification_views.notifications_read, name="notifications_read"),
    path("admin/", admin.site.urls),
]
