#pragma once

#include "ui/common/awsconnectionpane.h"

namespace Bramble::Ui {

class LogsPane : public AwsConnectionPane {
    Q_OBJECT

public:
    explicit LogsPane(Session::ConnectionCatalog *catalog, QWidget *parent = nullptr);
};

} // namespace Bramble::Ui
