from django.contrib import admin
from django.urls import include, path

from truenorth import refusals, your_data
from truenorth.api import urls as api_urls
from truenorth.api import views as api_views
from truenorth.checkins import views as checkins
from truenorth.claims import urls as claims_urls
from truenorth.dashboard import urls as dashboard_urls
from truenorth.decisions import urls as decisions_urls
from truenorth.exchange import views as exchange
from truenorth.feedback import urls as feedback_urls
from truenorth.glossary import urls as glossary_urls
from truenorth.notifications import urls as notifications_urls
from truenorth.notifications import views as notifications
from truenorth.rituals import urls as rituals_urls
from truenorth.rituals import views as rituals
from truenorth.roadmap import urls as roadmap_urls
from truenorth.search import urls as search_urls
from truenorth.strategy import views as strategy
from truenorth.updates import urls as updates_urls
from truenorth.work import urls as work_urls
from truenorth.workspaces import login_views, mail_views, setup_views
from truenorth.workspaces import urls as workspaces_urls
from truenorth.workspaces import views as workspaces

workspace_patterns = [
    path("settings/", workspaces.workspace_settings, name="workspace_settings"),
    path("settings.json", workspaces.settings_json, name="workspace_settings_json"),
    path("settings/export.json", exchange.download, name="workspace_export"),
    path("vision/", strategy.vision, name="vision"),
    path("vision/v<int:number>/", strategy.vision, name="vision_version"),
    path("vision/edit/", strategy.edit_vision, name="edit_vision"),
    path("vision/clarity/", strategy.vision_clarity, name="vision_clarity"),
    path("goals/", strategy.goals, name="goals"),
    path("goals.json", strategy.goals_json, name="goals_json"),
    path("goals.csv", strategy.goals_csv, name="goals_csv"),
    path("goals/new/", strategy.edit_goal, name="new_goal"),
    path("goals/clarity/", strategy.goal_clarity, name="goal_clarity"),
    path("goals/<int:goal_id>/edit/", strategy.edit_goal, name="edit_goal"),
    path("goals/<int:goal_id>/move/", strategy.reorder_goal, name="reorder_goal"),
    path(
        "goals/<int:goal_id>/measurements/",
        strategy.record_measurement,
        name="record_goal_measurement",
    ),
    path("goals/<int:goal_id>/archive/", strategy.archive, name="archive_goal"),
    path("goals/<int:goal_id>/restore/", strategy.restore, name="restore_goal"),
    path("checkins/", checkins.checkins, name="checkins"),
    path("checkins.csv", checkins.checkins_csv, name="checkins_csv"),
    path("checkins/new/", checkins.new_checkin, name="new_checkin"),
    path("checkins/<int:checkin_id>/", checkins.checkin, name="checkin"),
    path("checkins/<int:checkin_id>/send/", checkins.send, name="send_checkin"),
    path("checkins/<int:checkin_id>/dates/", checkins.change_dates, name="checkin_dates"),
    path("checkins/<int:checkin_id>/questions/new/", checkins.new_question, name="new_question"),
    path("checkins/<int:checkin_id>/analyze/", checkins.run_analysis, name="analyze_checkin"),
    path("checkins/<int:checkin_id>/close/", checkins.close_now, name="close_checkin"),
    path("checkins/<int:checkin_id>/pin/", checkins.pin, name="pin_checkin"),
    path("checkins/<int:checkin_id>/report.json", checkins.report_json, name="checkin_json"),
]
# Each app lists its own pages, so features can grow without touching this file.
workspace_patterns += roadmap_urls.patterns + work_urls.patterns + claims_urls.patterns
workspace_patterns += dashboard_urls.patterns
workspace_patterns += workspaces_urls.patterns
workspace_patterns += login_views.patterns
workspace_patterns += search_urls.patterns
workspace_patterns += glossary_urls.patterns
workspace_patterns += decisions_urls.patterns
workspace_patterns += updates_urls.patterns
workspace_patterns += notifications_urls.patterns
workspace_patterns += rituals_urls.patterns
workspace_patterns += feedback_urls.patterns

urlpatterns = mail_views.patterns + [
    path("api/v1/", api_urls.api.urls),
    path("", workspaces.home, name="home"),
    path("setup/", setup_views.setup, name="setup"),
    path("workspaces/new/", workspaces.new_workspace, name="new_workspace"),
    path("login/", login_views.LogInView.as_view(), name="login"),
    path("logout/", login_views.LogOutView.as_view(), name="logout"),
    path("password/", include(login_views.password_patterns)),
    path("account/tokens/", include(api_views.patterns)),
    path("account/", include(your_data.patterns)),
    path("admin/", admin.site.urls),
    path("w/<slug:slug>/", include(workspace_patterns)),
    # A personal link is /c/#<token>: the token never appears in a request line (views.answer).
    path("c/", checkins.answer, name="answer"),
    path("c/open/", checkins.open_answer, name="open_answer"),
    # A calendar application cannot log in: the secret in the path is the key, and it never
    # reaches a log (serving.SECRET_IN_PATH).
    path("calendar/<str:token>.ics", rituals.calendar_feed, name="calendar_feed"),
    # An email's unsubscribe link, for people with no login too (serving.SECRET_IN_PATH).
    path("unsubscribe/<str:token>/", notifications.unsubscribe_page, name="unsubscribe"),
]

# A JSON twin a role may not read answers in JSON, not with the HTML 403 page.
handler403 = refusals.permission_denied
