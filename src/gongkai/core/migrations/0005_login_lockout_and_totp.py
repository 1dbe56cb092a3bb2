"""Staff sign-in lockout (LoginFailure) and optional two-step sign-in (StaffTOTP)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_supervisor_edits_region_report"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LoginFailure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("occurred_at", models.DateTimeField(verbose_name="时间")),
                ("username", models.CharField(max_length=150, verbose_name="用户名")),
                (
                    "ip",
                    models.GenericIPAddressField(blank=True, null=True, verbose_name="来源地址"),
                ),
                (
                    "stage",
                    models.CharField(
                        choices=[("password", "密码"), ("totp", "动态验证码")],
                        default="password",
                        max_length=20,
                        verbose_name="环节",
                    ),
                ),
            ],
            options={
                "verbose_name": "登录失败记录",
                "verbose_name_plural": "登录失败记录",
                "ordering": ["-occurred_at"],
                "indexes": [
                    models.Index(fields=["username", "occurred_at"], name="loginfailure_user_idx"),
                    models.Index(fields=["ip", "occurred_at"], name="loginfailure_ip_idx"),
                ],
            },
        ),
        migrations.CreateModel(
            name="StaffTOTP",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("secret", models.CharField(max_length=64, verbose_name="密钥")),
                ("created_at", models.DateTimeField(verbose_name="生成时间")),
                (
                    "confirmed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="启用时间"),
                ),
                (
                    "last_used_step",
                    models.BigIntegerField(default=0, verbose_name="最近使用的时间步"),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="totp",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "两步验证",
                "verbose_name_plural": "两步验证",
            },
        ),
    ]
