from django.urls import path

from annotations import api, views

app_name = "annotations"
urlpatterns = [
    path("articles/<int:pk>/", views.reader, name="reader"),
    path("annotations/<int:pk>/edit/", views.annotation_edit, name="edit"),
    path("annotations/<int:pk>/delete/", views.annotation_remove, name="delete"),
    path("annotations/<int:pk>/restore/", views.annotation_undo_delete, name="restore"),
    path("api/articles/<int:pk>/annotations", api.article_annotations, name="api_article_annotations"),
    path("api/annotations/<int:pk>", api.annotation_detail, name="api_annotation"),
]

from annotations import compare  # noqa: E402

urlpatterns += [
    path("compare/", compare.compare, name="compare"),
    path("compare/correct/", compare.alignment_correct, name="alignment_correct"),
]
