// Precompiled for targets that link Qt Widgets (ui/, the app, GUI tests).
#pragma once

#include "bramble_pch_gui.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <QWidget>
