# gongkai — 两条命令完成全部准备：`make demo` 运行演示系统，`make test` 运行全部测试。
.DEFAULT_GOAL := help
.PHONY: help demo test system venv lint format serve bench

help: ## 显示本帮助
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-8s %s\n", $$1, $$2}'

demo: ## 安装依赖、迁移数据库、载入演示数据并在 127.0.0.1:8000 启动
	@scripts/bootstrap-system.sh demo
	@scripts/bootstrap-python.sh
	.venv/bin/gongkai demo

test: ## 安装依赖并运行全部测试（SQLite 和 PostgreSQL）
	@scripts/bootstrap-system.sh test
	@scripts/bootstrap-python.sh
	scripts/test.sh

serve: ## 不重新载入演示数据，直接启动
	@scripts/bootstrap-python.sh
	.venv/bin/gongkai serve

lint: ## ruff 与 mypy
	@scripts/bootstrap-python.sh
	.venv/bin/ruff check src tests benchmarks && .venv/bin/ruff format --check src tests benchmarks
	.venv/bin/mypy src/gongkai/statutory src/gongkai/reading src/gongkai/rendering

format: ## 自动格式化
	.venv/bin/ruff check --fix src tests benchmarks; .venv/bin/ruff format src tests benchmarks

bench: ## 运行性能基准，结果写入 docs/benchmarks.md
	@scripts/bootstrap-python.sh
	@for b in benchmarks/bench_*.py; do echo "== $$b"; .venv/bin/python $$b || exit 1; done
