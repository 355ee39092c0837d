# Packaging: CPack DEB on Linux. The macOS bundle is described in installers/README.md.
include(GNUInstallDirs)
install(TARGETS bramble bramblectl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES resources/bramble.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES resources/icons/bramble.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)

set(CPACK_PACKAGE_NAME bramble)
set(CPACK_PACKAGE_CONTACT "Bramble developers")
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
include(CPack)
