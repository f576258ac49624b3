"""The Mail server page on a phone, in a real browser, against a real SMTP server: the
administrator of a new server sets it, is told it answers, and receives the test message."""

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model

from tests.serving import free_port
from tests.smtp import Inbox
from truenorth.workspaces.models import MailServer

pytestmark = pytest.mark.browser


def test_an_administrator_sets_the_mail_server_on_a_phone(
    transactional_db, live_server, page, settings
):
    inbox = Inbox(refuse="")
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "truenorth.workspaces.mailserver.Backend"
    settings.EMAIL_FROM_ENVIRONMENT = False
    try:
        get_user_model().objects.create_user(
            "root", "it@globex.test", "correct-horse-battery", is_staff=True
        )
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/login/?next=/server/mail/")
        page.fill("#id_username", "root")
        page.fill("#id_password", "correct-horse-battery")
        page.click("button[type=submit]")
        page.wait_for_url("**/server/mail/")
        assert "Nobody has set one yet" in page.inner_text("#in-use")
        page.fill("#id_host", "127.0.0.1")
        page.fill("#id_port", str(controller.port))
        page.select_option("#id_security", "none")
        page.fill("#id_sender", "pulse@globex.test")
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state()
        assert f"127.0.0.1:{controller.port} answered" in page.inner_text("main")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.click("text=Send me a test message")
        page.wait_for_load_state()
        assert "Sent a test message to it@globex.test" in page.inner_text("main")
        [(to, text)] = inbox.messages
        assert to == ["it@globex.test"] and "From: pulse@globex.test" in text
        assert MailServer.objects.get().host == "127.0.0.1"
    finally:
        controller.stop()
