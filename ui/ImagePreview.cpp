#include "ImagePreview.h"

#include <QResizeEvent>

namespace gls::ui {

ImagePreview::ImagePreview(QWidget *parent)
    : QLabel(parent)
{
    setAlignment(Qt::AlignCenter);
    setMinimumSize(64, 64);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
}

void ImagePreview::setImage(const QPixmap &pixmap)
{
    m_original = pixmap;
    rescale();
}

void ImagePreview::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    rescale();
}

void ImagePreview::rescale()
{
    if (m_original.isNull()) {
        setPixmap(QPixmap());
        return;
    }
    const QSize room = (size().boundedTo(m_original.size() * 4) - QSize(8, 8)).expandedTo(QSize(16, 16));
    setPixmap(m_original.scaled(room, Qt::KeepAspectRatio, Qt::SmoothTransformation));
}

} // namespace gls::ui
