# Packaging (installers/README.md says how to build each package and what
# it holds): CPack DEB on Linux, an app bundle and a DMG on macOS. Only the
# two programs and their desktop files are installed: no test program, fake
# server or test data.
include(GNUInstallDirs)

# The project has no public home page or list address yet: set these when
# building a package for others (empty fields are left out of the package).
set(BRAMBLE_HOMEPAGE_URL "" CACHE STRING "Homepage field of the packages")
set(BRAMBLE_PACKAGE_MAINTAINER "Bramble developers" CACHE STRING "Maintainer of the packages: Name <email>")

if(APPLE)
  # bramble.app with bramblectl inside (Contents/MacOS/bramblectl); users
  # put it on their PATH with a link (installers/README.md).
  set(MACOSX_BUNDLE_GUI_IDENTIFIER "dev.bramble.Bramble")
  set_target_properties(bramble PROPERTIES
    MACOSX_BUNDLE TRUE
    OUTPUT_NAME Bramble
    MACOSX_BUNDLE_INFO_PLIST ${PROJECT_SOURCE_DIR}/installers/macos/Info.plist.in
    MACOSX_BUNDLE_BUNDLE_NAME Bramble
    MACOSX_BUNDLE_BUNDLE_VERSION ${PROJECT_VERSION}
    MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION}
    MACOSX_BUNDLE_GUI_IDENTIFIER ${MACOSX_BUNDLE_GUI_IDENTIFIER}
    MACOSX_BUNDLE_ICON_FILE bramble.icns)
  if(EXISTS ${PROJECT_SOURCE_DIR}/installers/macos/bramble.icns)
    target_sources(bramble PRIVATE ${PROJECT_SOURCE_DIR}/installers/macos/bramble.icns)
    set_source_files_properties(${PROJECT_SOURCE_DIR}/installers/macos/bramble.icns
      PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
  endif()
  install(TARGETS bramble BUNDLE DESTINATION .)
  install(TARGETS bramblectl RUNTIME DESTINATION Bramble.app/Contents/MacOS)
  # macdeployqt copies Qt's frameworks and plugins into the bundle (Qt 6.4:
  # supported on macOS; FILENAME_VARIABLE is 6.4's keyword).
  qt_generate_deploy_app_script(TARGET bramble FILENAME_VARIABLE _deploy_script NO_UNSUPPORTED_PLATFORM_ERROR)
  install(SCRIPT ${_deploy_script})
  set(CPACK_GENERATOR DragNDrop)
  set(CPACK_DMG_VOLUME_NAME "Bramble ${PROJECT_VERSION}")
  set(CPACK_DMG_FORMAT UDZO)
else()
  install(TARGETS bramble bramblectl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES resources/bramble.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES resources/icons/bramble.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
  install(FILES installers/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/bramble)
  set(CPACK_GENERATOR DEB)
endif()

set(CPACK_PACKAGE_NAME bramble)
set(CPACK_PACKAGE_VENDOR "Bramble developers")
set(CPACK_PACKAGE_CONTACT "${BRAMBLE_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_INSTALL_DIRECTORY Bramble)

# Debian: the standard file name (bramble_0.1.0-1_amd64.deb), Depends worked
# out from the binaries by dpkg-shlibdeps (bramble links Qt Svg, so the SVG
# icon plugin's package comes with it); Recommends what is loaded or run
# without a link: the Wayland platform plugin, kubectl, the aws CLI.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
if(BRAMBLE_HOMEPAGE_URL)
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${BRAMBLE_HOMEPAGE_URL}")
endif()
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland, kubernetes-client, awscli")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# Debug information stays in the build tree; the package ships stripped programs.
set(CPACK_STRIP_FILES TRUE)
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "${PROJECT_DESCRIPTION}
 Bramble is a desktop dashboard for a small Kubernetes cluster on Raspberry Pi
 nodes and the AWS Step Functions sagas around it. One window shows the nodes'
 readiness, MetalLB address pools and the IPs services hold, provisioning of
 new Pis, sagas as graphs with their executions replayed or followed live, and
 logs. bramblectl is the same service layer on the command line, with JSON
 output for scripts.")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
