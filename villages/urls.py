from django.urls import path

from villages import views

app_name = "villages"
urlpatterns = [
    path("", views.village_list, name="village_list"),
    path("<str:code>/", views.region_detail, name="region_detail"),
]
