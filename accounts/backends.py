"""How a request's user is loaded from their session."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PortalBackend(ModelBackend):
    """Django's ModelBackend, loading the user with their jurisdiction: every page names it in its
    header (base.html), which otherwise cost each page a query of its own."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("jurisdiction")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
