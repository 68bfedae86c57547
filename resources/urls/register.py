from django.urls import path

from ..views import register as views

urlpatterns = [
    path("people/", views.ResourceListView.as_view(), name="list"),
    path("people/new/", views.ResourceCreateView.as_view(), name="create"),
    path("people/<int:pk>/", views.ResourceDetailView.as_view(), name="detail"),
    path("people/<int:pk>/edit/", views.ResourceUpdateView.as_view(), name="update"),
    path("people/<int:pk>/capacity/", views.capacity_set, name="capacity_set"),
    path("people/<int:pk>/absences/new/", views.absence_create, name="absence_create"),
    path("absences/<int:pk>/delete/", views.absence_delete, name="absence_delete"),
    path("allocations/new/", views.AllocationCreateView.as_view(), name="allocation_create"),
    path(
        "allocations/<int:pk>/edit/", views.AllocationUpdateView.as_view(), name="allocation_update"
    ),
    path("allocations/<int:pk>/delete/", views.allocation_delete, name="allocation_delete"),
]
