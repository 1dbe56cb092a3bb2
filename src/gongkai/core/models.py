"""The platform: agencies in a tree, staff and their roles, and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from gongkai.core.roles import PERMISSIONS


class Agency(models.Model):
    """A body on the platform: a region's government, a department, a township or an internal unit.

    Agencies form a tree (region → agency → internal unit); ``path`` materialises the ancestry
    (``/1/4/``) so that a subtree is one indexed ``LIKE 'prefix%'`` query.
    """

    class Kind(models.TextChoices):
        GOVERNMENT = "government", "人民政府（含办公室）"
        DEPARTMENT = "department", "政府部门"
        TOWNSHIP = "township", "乡镇人民政府（街道办事处）"
        UNIT = "unit", "内设机构或派出机构"
        OTHER = "other", "其他（公共企事业单位等）"

    class Level(models.TextChoices):
        NATIONAL = "national", "国家级"
        PROVINCE = "province", "省级"
        CITY = "city", "设区的市级"
        COUNTY = "county", "县级"
        TOWNSHIP = "township", "乡镇级"

    name = models.CharField("名称", max_length=120)
    short_name = models.CharField("简称", max_length=60, blank=True)
    slug = models.SlugField("网址标识", max_length=60, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("层级路径", max_length=255, db_index=True, editable=False, default="")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    level = models.CharField("层级", max_length=20, choices=Level.choices)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    region_code = models.CharField("行政区划代码", max_length=12, blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    office_hours = models.CharField("办公时间", max_length=100, blank=True)
    reconsideration_body = models.CharField("行政复议机关", max_length=120, blank=True)
    competent_court = models.CharField("管辖法院", max_length=120, blank=True)
    has_rulemaking_power = models.BooleanField("有规章制定权", default=False)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "机关"
        verbose_name_plural = "机关"
        ordering = ["path"]
        permissions = list(PERMISSIONS.items())
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"], condition=~Q(uscc=""), name="agency_uscc_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        # ``path`` is derived from the parent chain; keep it (and the subtree's) in step.
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        prefix = self.parent.path if self.parent_id and self.parent else "/"
        new_path = f"{prefix}{self.pk}/"
        if new_path != self.path:
            old_path = self.path
            Agency.objects.filter(pk=self.pk).update(path=new_path)
            self.path = new_path
            if old_path:
                for child in Agency.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.path = new_path + child.path[len(old_path) :]
                    Agency.objects.filter(pk=child.pk).update(path=child.path)

    def ancestors(self) -> list[Agency]:
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1] if part]
        by_id = Agency.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2 if self.path else 0

    @property
    def is_government_level(self) -> bool:
        """A government's own report (条例第四十九条: due 31 March, sums its region)."""
        return self.kind == self.Kind.GOVERNMENT


class StaffProfile(models.Model):
    """Binds a staff account to the agency where it holds its roles (the user's groups)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="所属机关", on_delete=models.PROTECT, related_name="staff"
    )
    title = models.CharField("职务", max_length=60, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()}（{self.agency}）"


class AuditEvent(models.Model):
    """One change to a record: who, what, when, and the before/after data (personal data redacted).

    Written by services in the same transaction as the change (see ``gongkai.core.audit``).
    """

    occurred_at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField("操作人名称", max_length=150, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name="机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField("操作", max_length=80, db_index=True)
    subject_type = models.CharField("对象类型", max_length=80)
    subject_id = models.CharField("对象编号", max_length=64)
    subject_label = models.CharField("对象", max_length=200, blank=True)
    data = models.JSONField("数据", default=dict, blank=True)
    backfilled = models.BooleanField("迁移补录", default=False)

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="audit_subject_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class CalendarDay(models.Model):
    """An administrator's correction of the working-day calendar for one date, with its source.

    Wins over the seed data (chinese-calendar). Entered when the State Council publishes the next
    year's holiday notice, or to correct the seed.
    """

    day = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    name = models.CharField("节日或说明", max_length=40, blank=True)
    source = models.CharField("依据文件", max_length=120, help_text="例如：国办发明电〔2025〕7号")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="录入人",
    )
    created_at = models.DateTimeField("录入时间")

    class Meta:
        verbose_name = "工作日历调整"
        verbose_name_plural = "工作日历调整"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {'上班' if self.is_workday else '放假'} {self.name}"


class CalendarYearConfirmation(models.Model):
    """A year whose holiday notice has been entered in full: its dates are no longer provisional."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("依据文件", max_length=120)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="确认人",
    )
    confirmed_at = models.DateTimeField("确认时间")

    class Meta:
        verbose_name = "已确认的年度放假安排"
        verbose_name_plural = "已确认的年度放假安排"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年（{self.source}）"


class LoginFailure(models.Model):
    """One failed staff sign-in (wrong password or wrong one-time code), kept for the lockout window.

    ``gongkai.core.security.lockout`` counts these per user name and per client address; a
    successful sign-in removes the user name's rows. Every failure is also in the audit log.
    """

    class Stage(models.TextChoices):
        PASSWORD = "password", "密码"
        TOTP = "totp", "动态验证码"

    occurred_at = models.DateTimeField("时间")
    username = models.CharField("用户名", max_length=150)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    stage = models.CharField("环节", max_length=20, choices=Stage.choices, default=Stage.PASSWORD)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["username", "occurred_at"], name="loginfailure_user_idx"),
            models.Index(fields=["ip", "occurred_at"], name="loginfailure_ip_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.username} {self.ip or ''}"


class StaffTOTP(models.Model):
    """A staff account's time-based one-time password (RFC 6238), optional per account.

    ``confirmed_at`` is empty while the account is being set up (the secret has been shown but
    no code has been entered yet); only a confirmed secret is asked for at sign-in.
    ``last_used_step`` refuses a code that has already been used (replay).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp"
    )
    secret = models.CharField("密钥", max_length=64)
    created_at = models.DateTimeField("生成时间")
    confirmed_at = models.DateTimeField("启用时间", null=True, blank=True)
    last_used_step = models.BigIntegerField("最近使用的时间步", default=0)

    class Meta:
        verbose_name = "两步验证"
        verbose_name_plural = "两步验证"

    def __str__(self) -> str:
        return f"{self.user}（{'已启用' if self.is_enabled else '设置中'}）"

    @property
    def is_enabled(self) -> bool:
        return self.confirmed_at is not None
