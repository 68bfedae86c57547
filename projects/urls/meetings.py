from django.urls import path

from ..views import meetings as views

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="meeting_update"),
    path("actions/<int:action_pk>/status/", views.action_status, name="action_status"),
    path("my-actions/", views.MyActionsView.as_view(), name="my_actions"),
]
