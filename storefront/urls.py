from django.urls import path

from . import notices, views

app_name = "storefront"
urlpatterns = [
    path("", views.home, name="home"),
    path("sneakers/", views.product_list, name="product_list"),
    path("sneakers/suggest/", views.suggest, name="suggest"),
    path("sneakers/<slug:slug>/", views.product_detail, name="product"),
    path("sneakers/<slug:slug>/sizes/<int:variant_id>/", views.product_size, name="product_size"),
    path("stores/", views.store_list, name="stores"),
    path("privacy/", notices.privacy, name="privacy"),
    path("accessibility/", notices.accessibility, name="accessibility"),
]
