from django.urls import path

from villages import views, views_exports

app_name = "villages"
urlpatterns = [
    path("", views.village_list, name="village_list"),
    path("export.xlsx", views_exports.village_export, name="village_export"),
    path("reserves/", views.reserve_shortfall, name="reserve_shortfall"),
    path("reserves/export.xlsx", views_exports.reserve_shortfall_export, name="reserve_shortfall_export"),
    path("reserves/<int:pk>/", views.reserve_detail, name="reserve_detail"),
    path("seats/<int:pk>/end/", views.seat_end, name="seat_end"),
    path("<str:code>/", views.region_detail, name="region_detail"),
    path("<str:code>/seats/new/", views.seat_create, name="seat_create"),
    path("<str:code>/reserves/new/", views.reserve_designate, name="reserve_designate"),
]
