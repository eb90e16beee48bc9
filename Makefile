# The two commands of README.rst: `make run` and `make test`. Everything they need is prepared
# by dev/prepare.sh (Odoo's source, Debian packages, a cached virtualenv, PostgreSQL, Chromium).
.PHONY: run test test-upgrade test-race test-mail test-wheel test-tools lint bench load readme pot stop bad-input

run:  ## serve Odoo with sale_reorder and its demo data on http://127.0.0.1:8069
	@bash dev/run.sh

test: lint  ## lint, then the whole test suite (browser tours included) on a fresh database
	@bash dev/test.sh

test-upgrade:  ## install the previous release, fill it, upgrade to this code, check nothing is lost
	@bash dev/test_upgrade.sh

test-race:  ## real parallel posts on a multi-worker Odoo: rate limit, double post, double accept
	@bash dev/test_race.sh

test-mail:  ## a portal submission reaches the mail catcher through real SMTP
	@bash dev/test_mail.sh

test-wheel:  ## build the pip wheel (whool), install it in a fresh virtualenv, install the addon from it
	@bash dev/test_wheel.sh

test-tools:  ## the targets below and make run at their smallest sizes (CI), so that none rots
	@bash dev/test_tools.sh

lint:  ## pre-commit: ruff, pylint-odoo, README.rst up to date
	@bash dev/lint.sh

bench:  ## the history at ×0.1 / ×1 / ×10: model timings, EXPLAIN, portal pages beside /my/orders
	@bash dev/bench.sh

load:  ## locust: portal customers reorder while staff accept, on a multi-worker Odoo; then DB checks
	@bash dev/load.sh

bad-input:  ## hostile input on a server of its own (BAD_INPUT_URL: a running one): 0 server errors
	@bash dev/bad_input.sh

readme:  ## render README.rst and the Apps page (static/description/index.html) from readme/
	@bash dev/lint.sh --readme

pot:  ## export i18n/sale_reorder.pot from a database with the addon installed
	@bash dev/export_pot.sh

stop:  ## stop the embedded PostgreSQL server
	@bash dev/pg.sh stop
