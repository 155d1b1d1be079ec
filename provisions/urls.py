from django.urls import path

from provisions import views

urlpatterns = [
    path("t/<slug:treaty>/", views.treaty_detail, name="treaty-detail"),
]
