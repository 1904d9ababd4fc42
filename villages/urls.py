from django.urls import path

from villages import views

app_name = "villages"
urlpatterns = [
    path("", views.village_list, name="village_list"),
    path("reserves/", views.reserve_shortfall, name="reserve_shortfall"),
    path("reserves/<int:pk>/", views.reserve_detail, name="reserve_detail"),
    path("seats/<int:pk>/end/", views.seat_end, name="seat_end"),
    path("<str:code>/", views.region_detail, name="region_detail"),
    path("<str:code>/seats/new/", views.seat_create, name="seat_create"),
    path("<str:code>/reserves/new/", views.reserve_designate, name="reserve_designate"),
]
