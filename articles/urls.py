from django.urls import path

from articles import views

app_name = "articles"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("articles/upload/", views.article_upload, name="upload"),
    path("articles/<int:pk>/plain/", views.article_detail, name="detail"),
    path("articles/<int:pk>/revisions/<int:number>.txt", views.revision_text, name="revision_text"),
    path("articles/<int:pk>/report/", views.article_report, name="report"),
    path("articles/<int:pk>/restore/", views.article_restore_line, name="restore"),
    path("compare/correct/", views.alignment_correct, name="alignment_correct"),
]
