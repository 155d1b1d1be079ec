from django.urls import path

from desk import views

app_name = "desk"

urlpatterns = [
    path("", views.desk_home, name="home"),
]
