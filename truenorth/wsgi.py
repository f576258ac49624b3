import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "truenorth.settings")
application = get_wsgi_application()

from truenorth.startup import refuse_development_key  # noqa: E402 -- needs the settings

refuse_development_key()
