#pragma once

// A label showing an image scaled to fit, keeping its aspect ratio (at most 4x
// its own size, so a small screenshot stays sharp enough to read); it scales
// again when resized. pixmap() is what is shown, original() the image itself.

#include <QLabel>
#include <QPixmap>

namespace gls::ui {

class ImagePreview : public QLabel {
    Q_OBJECT
public:
    explicit ImagePreview(QWidget *parent = nullptr);

    void setImage(const QPixmap &pixmap);
    QPixmap original() const { return m_original; }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void rescale();

    QPixmap m_original;
};

} // namespace gls::ui
