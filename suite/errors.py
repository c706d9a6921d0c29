"""Error pages: JSON with the API's error body under /api/, HTML everywhere else."""
from django.http import JsonResponse
from django.views import defaults

from suite.api.errors import error_body


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse(error_body("not_found", "Not found."), status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """Django refuses some requests before a view runs (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many fields)."""
    from django.core.exceptions import RequestDataTooBig

    if _is_api(request):
        if isinstance(exception, RequestDataTooBig):
            return JsonResponse(error_body("too_large", "The request body is too large."), status=413)
        return JsonResponse(error_body("bad_request", "The request could not be read."), status=400)
    return defaults.bad_request(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse(error_body("server_error", "Something went wrong on our side; it has been logged."), status=500)
    return defaults.server_error(request)
