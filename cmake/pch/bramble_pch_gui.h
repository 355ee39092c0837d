// Precompiled for targets that link Qt Gui (models).
#pragma once

#include "bramble_pch_core.h"

#include <QAbstractItemModel>
#include <QColor>
#include <QFont>
#include <QIcon>
