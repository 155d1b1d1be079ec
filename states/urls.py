from django.urls import path

from states import views

urlpatterns = [
    path("", views.home, name="home"),
]
