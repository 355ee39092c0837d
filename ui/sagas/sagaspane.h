#pragma once

#include "ui/common/awsconnectionpane.h"

namespace Bramble::Ui {

class SagasPane : public AwsConnectionPane
{
    Q_OBJECT

public:
    explicit SagasPane(Session::ConnectionCatalog *catalog, QWidget *parent = nullptr);
};

} // namespace Bramble::Ui
