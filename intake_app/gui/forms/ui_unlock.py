# Automatically generated from ui/unlock.ui by `make forms` (python -m intake_app.gui.forms_build).
# Do not edit: change the .ui file in Qt Designer and regenerate.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'unlock.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QFormLayout, QLabel, QLineEdit,
    QProgressBar, QPushButton, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

from intake_app.gui.accessibility import StatusLabel

class Ui_UnlockScreen(object):
    def setupUi(self, UnlockScreen):
        if not UnlockScreen.objectName():
            UnlockScreen.setObjectName(u"UnlockScreen")
        UnlockScreen.resize(640, 480)
        self.outerLayout = QVBoxLayout(UnlockScreen)
        self.outerLayout.setObjectName(u"outerLayout")
        self.topSpacer = QSpacerItem(20, 40, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.outerLayout.addItem(self.topSpacer)

        self.titleLabel = QLabel(UnlockScreen)
        self.titleLabel.setObjectName(u"titleLabel")
        self.titleLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.outerLayout.addWidget(self.titleLabel)

        self.formLayout = QFormLayout()
        self.formLayout.setObjectName(u"formLayout")
        self.formLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.userLabel = QLabel(UnlockScreen)
        self.userLabel.setObjectName(u"userLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.userLabel)

        self.userEdit = QLineEdit(UnlockScreen)
        self.userEdit.setObjectName(u"userEdit")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.userEdit)

        self.passphraseLabel = QLabel(UnlockScreen)
        self.passphraseLabel.setObjectName(u"passphraseLabel")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.passphraseLabel)

        self.passphraseEdit = QLineEdit(UnlockScreen)
        self.passphraseEdit.setObjectName(u"passphraseEdit")
        self.passphraseEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.passphraseEdit)


        self.outerLayout.addLayout(self.formLayout)

        self.capsLockLabel = StatusLabel(UnlockScreen)
        self.capsLockLabel.setObjectName(u"capsLockLabel")

        self.outerLayout.addWidget(self.capsLockLabel)

        self.messageLabel = StatusLabel(UnlockScreen)
        self.messageLabel.setObjectName(u"messageLabel")
        self.messageLabel.setWordWrap(True)

        self.outerLayout.addWidget(self.messageLabel)

        self.progressBar = QProgressBar(UnlockScreen)
        self.progressBar.setObjectName(u"progressBar")
        self.progressBar.setMaximum(0)
        self.progressBar.setTextVisible(False)

        self.outerLayout.addWidget(self.progressBar)

        self.unlockButton = QPushButton(UnlockScreen)
        self.unlockButton.setObjectName(u"unlockButton")

        self.outerLayout.addWidget(self.unlockButton)

        self.bottomSpacer = QSpacerItem(20, 40, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.outerLayout.addItem(self.bottomSpacer)

#if QT_CONFIG(shortcut)
        self.userLabel.setBuddy(self.userEdit)
        self.passphraseLabel.setBuddy(self.passphraseEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.userEdit, self.passphraseEdit)
        QWidget.setTabOrder(self.passphraseEdit, self.unlockButton)

        self.retranslateUi(UnlockScreen)

        self.unlockButton.setDefault(True)


        QMetaObject.connectSlotsByName(UnlockScreen)
    # setupUi

    def retranslateUi(self, UnlockScreen):
        UnlockScreen.setWindowTitle(QCoreApplication.translate("UnlockScreen", u"\u76f8\u8ac7\u8a18\u9332\u30b7\u30b9\u30c6\u30e0", None))
        self.titleLabel.setText(QCoreApplication.translate("UnlockScreen", u"\u76f8\u8ac7\u8a18\u9332\u30b7\u30b9\u30c6\u30e0", None))
        self.userLabel.setText(QCoreApplication.translate("UnlockScreen", u"\u30ed\u30b0\u30a4\u30f3\u540d(&U)", None))
#if QT_CONFIG(accessibility)
        self.userEdit.setAccessibleName(QCoreApplication.translate("UnlockScreen", u"\u30ed\u30b0\u30a4\u30f3\u540d", None))
#endif // QT_CONFIG(accessibility)
        self.passphraseLabel.setText(QCoreApplication.translate("UnlockScreen", u"\u30d1\u30b9\u30d5\u30ec\u30fc\u30ba(&P)", None))
#if QT_CONFIG(accessibility)
        self.passphraseEdit.setAccessibleName(QCoreApplication.translate("UnlockScreen", u"\u30d1\u30b9\u30d5\u30ec\u30fc\u30ba", None))
#endif // QT_CONFIG(accessibility)
        self.capsLockLabel.setText(QCoreApplication.translate("UnlockScreen", u"Caps Lock \u304c\u30aa\u30f3\u306b\u306a\u3063\u3066\u3044\u307e\u3059\u3002", None))
#if QT_CONFIG(accessibility)
        self.capsLockLabel.setAccessibleName(QCoreApplication.translate("UnlockScreen", u"Caps Lock \u306e\u8b66\u544a", None))
#endif // QT_CONFIG(accessibility)
        self.messageLabel.setText("")
#if QT_CONFIG(accessibility)
        self.messageLabel.setAccessibleName(QCoreApplication.translate("UnlockScreen", u"\u30ed\u30c3\u30af\u89e3\u9664\u306e\u304a\u77e5\u3089\u305b", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.progressBar.setAccessibleName(QCoreApplication.translate("UnlockScreen", u"\u78ba\u8a8d\u4e2d", None))
#endif // QT_CONFIG(accessibility)
        self.unlockButton.setText(QCoreApplication.translate("UnlockScreen", u"\u30ed\u30c3\u30af\u89e3\u9664(&L)", None))
#if QT_CONFIG(accessibility)
        self.unlockButton.setAccessibleName(QCoreApplication.translate("UnlockScreen", u"\u30ed\u30c3\u30af\u89e3\u9664", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

