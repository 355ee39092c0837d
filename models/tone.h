#pragma once

// The one tone type of every layer. It is declared here, below ui/, so that
// models can give it; its name is Ui::Tone (the widgets' palette maps it,
// Ui::toneColor) and the models know it as Models::Tone.
namespace Bramble::Ui {

// How a cell or a state wants to be coloured.
enum class Tone { Neutral, Ok, Warning, Error, Muted };

} // namespace Bramble::Ui

namespace Bramble::Models {

using Tone = Ui::Tone;

} // namespace Bramble::Models
