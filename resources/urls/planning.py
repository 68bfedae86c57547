from django.urls import path

from ..views import planning as views

urlpatterns = [
    path("capacity/roles/", views.role_heatmap, name="role_heatmap"),
    path("capacity/people/", views.people_heatmap, name="people_heatmap"),
    path("capacity/people/<int:pk>/<str:bucket>/", views.person_bucket, name="person_bucket"),
    path("utilisation/", views.utilisation, name="utilisation"),
]
