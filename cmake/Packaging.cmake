# The Debian package (make deb): the bora binary, /etc/bora/bora.conf (a
# conffile), the systemd unit, man pages generated from --help, and the
# maintainer scripts of packaging/debian/ (system user, state directory,
# schema upgrade, service enabled). CPack's DEB generator builds it;
# dpkg-shlibdeps computes the library dependencies.

set(BORA_PKG_DIR ${PROJECT_BINARY_DIR}/packaging)

# The packaged configuration is the documented one with the database in the
# service's state directory.
file(READ ${PROJECT_SOURCE_DIR}/config/bora.conf BORA_CONF)
string(REPLACE "connection = sqlite:///var/bora.db" "connection = sqlite:////var/lib/bora/bora.db" BORA_PKG_CONF
       "${BORA_CONF}")
if(BORA_PKG_CONF STREQUAL BORA_CONF)
  message(FATAL_ERROR "config/bora.conf: its [database] connection line changed; update cmake/Packaging.cmake")
endif()
file(WRITE ${BORA_PKG_DIR}/bora.conf "${BORA_PKG_CONF}")

string(TIMESTAMP BORA_PKG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${BORA_PKG_DIR}/changelog
     "bora (${PROJECT_VERSION}) unstable; urgency=medium\n\n"
     "  * Bora ${PROJECT_VERSION}; the changes are the project's git history.\n\n"
     " -- Bora maintainers <maintainers@bora.invalid>  ${BORA_PKG_DATE}\n")
add_custom_command(OUTPUT ${BORA_PKG_DIR}/changelog.gz
  COMMAND gzip -9nc ${BORA_PKG_DIR}/changelog > ${BORA_PKG_DIR}/changelog.gz
  DEPENDS ${BORA_PKG_DIR}/changelog VERBATIM)

# Man pages from the binary's own --help (scripts/gen_man.py).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_custom_command(OUTPUT ${BORA_PKG_DIR}/man/bora.1.gz
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/scripts/gen_man.py $<TARGET_FILE:bora> ${BORA_PKG_DIR}/man
          ${PROJECT_VERSION}
  DEPENDS bora ${PROJECT_SOURCE_DIR}/scripts/gen_man.py VERBATIM)
# Part of the default build (cheap), so that the package test and `cpack`
# find them.
add_custom_target(package_files ALL DEPENDS ${BORA_PKG_DIR}/man/bora.1.gz ${BORA_PKG_DIR}/changelog.gz)

install(TARGETS bora RUNTIME DESTINATION bin)
install(FILES ${BORA_PKG_DIR}/bora.conf DESTINATION /etc/bora PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/bora.service DESTINATION /lib/systemd/system
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
install(DIRECTORY ${BORA_PKG_DIR}/man/ DESTINATION share/man/man1 FILES_MATCHING PATTERN "*.1.gz")
install(FILES ${PROJECT_SOURCE_DIR}/packaging/debian/copyright ${BORA_PKG_DIR}/changelog.gz
        DESTINATION share/doc/bora PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME bora)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_CONTACT "Bora maintainers <maintainers@bora.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "workflow service speaking OpenStack Mistral's language and API")
set(CPACK_PACKAGE_DESCRIPTION
    "Bora runs workflows written in OpenStack Mistral's workflow language v2\n(YAQL and Jinja2 expressions) and serves Mistral's REST API v2, so that\npython-mistralclient and scripts written for Mistral work unchanged.\nThe API, the engine and the executor are one process; the database is\nSQLite (or MySQL/MariaDB for several nodes). This package runs it as a\nsystem service (bora.service) on 127.0.0.1:8989.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, init-system-helpers (>= 1.54~)")
# Mistral custom actions in Python ([python_actions], docs/ACTIONS.md) run
# on an interpreter with mistral-lib; nothing else needs it.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "python3-mistral-lib")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/postinst ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
# Only the runtime: the tests, benchmarks and static libraries have no
# install rules.
include(CPack)
