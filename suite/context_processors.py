from suite import access
from suite import roles as R


def navigation(request):
    user = getattr(request, "user", None)
    roles = sorted(access.user_roles(user)) if user else []
    return {
        "nav_areas": access.areas_for(user) if user else [],
        "nav_roles": [R.ROLE_LABELS[r] for r in roles],
        "nav_is_staff": access.is_staff(user),
    }
