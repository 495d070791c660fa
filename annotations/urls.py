from django.urls import path

from annotations.views import activities as activity_views
from annotations.views import adjudication, api, compare
from annotations.views import corpus as corpus_views
from annotations.views import links as link_views
from annotations.views import people as people_views
from annotations.views import reader as views
from annotations.views import threads as thread_views

app_name = "annotations"
urlpatterns = [
    # First: scripts call these most, and Django tries the patterns in order.
    path("api/articles/<int:pk>/annotations", api.article_annotations, name="api_article_annotations"),
    path("api/annotations/<int:pk>", api.annotation_detail, name="api_annotation"),
    path("articles/<int:pk>/", views.reader, name="reader"),
    path("annotations/<int:pk>/edit/", views.annotation_edit, name="edit"),
    path("annotations/<int:pk>/delete/", views.annotation_remove, name="delete"),
    path("annotations/<int:pk>/restore/", views.annotation_undo_delete, name="restore"),
    path("annotations/<int:pk>/thread/", thread_views.annotation_thread, name="thread"),
    path("annotations/<int:pk>/decide/", adjudication.annotation_decide, name="decide"),
    path("annotations/<int:pk>/undecide/", adjudication.decision_undo_view, name="undecide"),
    path("exports/", corpus_views.export_page, name="export"),
    path("imports/", corpus_views.import_page, name="import"),
    path("orphans/", corpus_views.orphan_list, name="orphans"),
    path("jobs/<int:pk>/", corpus_views.job_detail, name="job"),
    path("jobs/<int:pk>/download/", corpus_views.job_download, name="job_download"),
    path("orphans/<int:pk>/", corpus_views.orphan_resolve, name="orphan_resolve"),
    path("articles/<int:pk>/correct/", corpus_views.article_correct, name="correct"),
    path("articles/<int:pk>/left-out/add/", corpus_views.article_add_block, name="add_block"),
    path("activities/", activity_views.activity_list, name="activities"),
    path("activities/new/", activity_views.activity_new, name="activity_new"),
    path("activities/join/", activity_views.activity_join_view, name="activity_join"),
    path("activities/<int:pk>/", activity_views.activity_detail, name="activity"),
    path("activities/<int:pk>/submit/", activity_views.activity_submit, name="activity_submit"),
    path("activities/<int:pk>/reveal/", activity_views.activity_reveal_view, name="activity_reveal"),
    path("activities/<int:pk>/dashboard/", activity_views.activity_dashboard, name="dashboard"),
    path("activities/<int:pk>/adjudicate/", adjudication.activity_adjudicate, name="adjudicate"),
    path("activities/<int:pk>/adjudicate/accept-agreed/", adjudication.accept_agreed, name="accept_agreed"),
    path("activities/<int:pk>/edit/", activity_views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/close/", activity_views.activity_close_view, name="activity_close"),
    path("activities/<int:pk>/delete/", activity_views.activity_delete_view, name="activity_delete"),
]

urlpatterns += [
    path("compare/", compare.compare, name="compare"),
    path("articles/<int:pk>/link/", link_views.link_new, name="link_new"),
    path("links/<int:pk>/delete/", link_views.link_remove, name="link_delete"),
    # no trailing slash: the id exports give an annotation's creator, which must resolve as written;
    # any name, an imported "import:Jane/Doe" too
    path("users/<path:username>", people_views.person, name="person"),
]
