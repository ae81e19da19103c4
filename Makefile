# ideal: PGXS build.  Override PG_CONFIG to build against another server.
EXTENSION   = ideal
EXTVERSION  = $(shell sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" ideal.control)
MODULE_big  = ideal
OBJS        = src/ideal.o src/codes.o src/country_table.o src/summary.o \
              src/method_parse.o src/types.o src/catalog.o src/trigger.o \
              src/aggregates.o src/intake.o
# The install script of the current version is assembled from
# sql/src/*.sql (edit those); it is committed too, and the test run checks
# that the two agree.  Older versions' install scripts and every upgrade
# script are committed as released and installed as they are.
DATA        = sql/ideal--$(EXTVERSION).sql \
              $(filter-out sql/ideal--$(EXTVERSION).sql,$(wildcard sql/ideal--*.sql))
SQL_PARTS   = $(sort $(wildcard sql/src/*.sql))
PGFILEDESC  = "ideal - IDEAL threat assessment for PostgreSQL"

SHLIB_LINK  += -lyaml -lm
PG_CPPFLAGS += -I$(srcdir)/src

# pg_regress: sql/*.sql against expected/*.out
REGRESS      = $(patsubst sql/%.sql,%,$(sort $(filter-out sql/ideal--%,$(wildcard sql/*.sql))))
REGRESS_OPTS = --inputdir=. --load-extension=ideal --encoding=UTF8

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS tracks no header dependencies
$(OBJS): $(wildcard src/*.h)

sql/ideal--$(EXTVERSION).sql: $(SQL_PARTS)
	awk 'FNR == 1 && NR > 1 { print "" } { print }' $(SQL_PARTS) > $@

all: sql/ideal--$(EXTVERSION).sql

YAMLDIR = $(DESTDIR)$(datadir)/extension/ideal

install: install-yaml
install-yaml:
	$(MKDIR_P) '$(YAMLDIR)'
	$(INSTALL_DATA) $(wildcard yaml/*.yaml) '$(YAMLDIR)/'

uninstall: uninstall-yaml
uninstall-yaml:
	rm -rf '$(YAMLDIR)'

.PHONY: install-yaml uninstall-yaml demo test

# The main job and the full test run, each in a throwaway cluster.
demo:
	bash test/run-demo.sh $(DEMO_ARGS)

test:
	bash test/run-tests.sh

# Release tarball of the committed tree, for packagers and PGXN:
#   make dist [DISTDIR=dir] [DISTREF=tag]  ->  DISTDIR/ideal-VERSION.tar.gz
DISTNAME = $(EXTENSION)-$(EXTVERSION)
DISTDIR ?= .
DISTREF ?= HEAD
dist:
	mkdir -p $(DISTDIR)
	git archive --format=tar.gz --prefix=$(DISTNAME)/ \
		-o $(DISTDIR)/$(DISTNAME).tar.gz $(DISTREF)

.PHONY: dist
