from django.urls import path

from ..views import changes as views

urlpatterns = [
    path("<int:pk>/changes/", views.ChangeLogView.as_view(), name="change_log"),
    path("<int:pk>/changes/new/", views.ChangeCreateView.as_view(), name="change_create"),
    path("<int:pk>/changes/<int:number>/", views.ChangeDetailView.as_view(), name="change_detail"),
    path(
        "<int:pk>/changes/<int:number>/edit/",
        views.ChangeUpdateView.as_view(),
        name="change_update",
    ),
    path("<int:pk>/changes/<int:number>/<str:action>/", views.change_action, name="change_action"),
    path("changes/", views.ChangeQueueView.as_view(), name="change_queue"),
]
