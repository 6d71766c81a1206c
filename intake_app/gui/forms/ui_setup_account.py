# Automatically generated from ui/setup_account.ui by `make forms` (python -m intake_app.gui.forms_build).
# Do not edit: change the .ui file in Qt Designer and regenerate.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'setup_account.ui'
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
from PySide6.QtWidgets import (QApplication, QComboBox, QFormLayout, QHBoxLayout,
    QLabel, QLineEdit, QPushButton, QSizePolicy,
    QWidget)

from intake_app.gui.accessibility import StatusLabel

class Ui_SetupAccountPage(object):
    def setupUi(self, SetupAccountPage):
        if not SetupAccountPage.objectName():
            SetupAccountPage.setObjectName(u"SetupAccountPage")
        SetupAccountPage.resize(600, 400)
        self.formLayout = QFormLayout(SetupAccountPage)
        self.formLayout.setObjectName(u"formLayout")
        self.formLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.municipalityLabel = QLabel(SetupAccountPage)
        self.municipalityLabel.setObjectName(u"municipalityLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.municipalityLabel)

        self.municipalityRow = QHBoxLayout()
        self.municipalityRow.setObjectName(u"municipalityRow")
        self.municipalityCombo = QComboBox(SetupAccountPage)
        self.municipalityCombo.setObjectName(u"municipalityCombo")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        sizePolicy.setHorizontalStretch(1)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.municipalityCombo.sizePolicy().hasHeightForWidth())
        self.municipalityCombo.setSizePolicy(sizePolicy)

        self.municipalityRow.addWidget(self.municipalityCombo)

        self.municipalityFileButton = QPushButton(SetupAccountPage)
        self.municipalityFileButton.setObjectName(u"municipalityFileButton")

        self.municipalityRow.addWidget(self.municipalityFileButton)


        self.formLayout.setLayout(0, QFormLayout.ItemRole.FieldRole, self.municipalityRow)

        self.municipalityMessage = StatusLabel(SetupAccountPage)
        self.municipalityMessage.setObjectName(u"municipalityMessage")
        self.municipalityMessage.setWordWrap(True)

        self.formLayout.setWidget(1, QFormLayout.ItemRole.SpanningRole, self.municipalityMessage)

        self.displayNameLabel = QLabel(SetupAccountPage)
        self.displayNameLabel.setObjectName(u"displayNameLabel")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.displayNameLabel)

        self.displayNameEdit = QLineEdit(SetupAccountPage)
        self.displayNameEdit.setObjectName(u"displayNameEdit")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.displayNameEdit)

        self.userLabel = QLabel(SetupAccountPage)
        self.userLabel.setObjectName(u"userLabel")

        self.formLayout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.userLabel)

        self.userEdit = QLineEdit(SetupAccountPage)
        self.userEdit.setObjectName(u"userEdit")

        self.formLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.userEdit)

        self.passphraseLabel = QLabel(SetupAccountPage)
        self.passphraseLabel.setObjectName(u"passphraseLabel")

        self.formLayout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.passphraseLabel)

        self.passphraseEdit = QLineEdit(SetupAccountPage)
        self.passphraseEdit.setObjectName(u"passphraseEdit")
        self.passphraseEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.formLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.passphraseEdit)

        self.confirmLabel = QLabel(SetupAccountPage)
        self.confirmLabel.setObjectName(u"confirmLabel")

        self.formLayout.setWidget(5, QFormLayout.ItemRole.LabelRole, self.confirmLabel)

        self.confirmEdit = QLineEdit(SetupAccountPage)
        self.confirmEdit.setObjectName(u"confirmEdit")
        self.confirmEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.formLayout.setWidget(5, QFormLayout.ItemRole.FieldRole, self.confirmEdit)

        self.feedbackLabel = StatusLabel(SetupAccountPage)
        self.feedbackLabel.setObjectName(u"feedbackLabel")
        self.feedbackLabel.setWordWrap(True)

        self.formLayout.setWidget(6, QFormLayout.ItemRole.SpanningRole, self.feedbackLabel)

        self.policyLabel = QLabel(SetupAccountPage)
        self.policyLabel.setObjectName(u"policyLabel")
        self.policyLabel.setWordWrap(True)

        self.formLayout.setWidget(7, QFormLayout.ItemRole.SpanningRole, self.policyLabel)

#if QT_CONFIG(shortcut)
        self.municipalityLabel.setBuddy(self.municipalityCombo)
        self.displayNameLabel.setBuddy(self.displayNameEdit)
        self.userLabel.setBuddy(self.userEdit)
        self.passphraseLabel.setBuddy(self.passphraseEdit)
        self.confirmLabel.setBuddy(self.confirmEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.municipalityCombo, self.municipalityFileButton)
        QWidget.setTabOrder(self.municipalityFileButton, self.displayNameEdit)
        QWidget.setTabOrder(self.displayNameEdit, self.userEdit)
        QWidget.setTabOrder(self.userEdit, self.passphraseEdit)
        QWidget.setTabOrder(self.passphraseEdit, self.confirmEdit)

        self.retranslateUi(SetupAccountPage)

        QMetaObject.connectSlotsByName(SetupAccountPage)
    # setupUi

    def retranslateUi(self, SetupAccountPage):
        self.municipalityLabel.setText(QCoreApplication.translate("SetupAccountPage", u"\u81ea\u6cbb\u4f53(&M)", None))
#if QT_CONFIG(accessibility)
        self.municipalityCombo.setAccessibleName(QCoreApplication.translate("SetupAccountPage", u"\u81ea\u6cbb\u4f53\u306e\u8a2d\u5b9a\u30d5\u30a1\u30a4\u30eb", None))
#endif // QT_CONFIG(accessibility)
        self.municipalityFileButton.setText(QCoreApplication.translate("SetupAccountPage", u"\u30d5\u30a1\u30a4\u30eb\u304b\u3089\u9078\u3076(&L)\u2026", None))
#if QT_CONFIG(accessibility)
        self.municipalityFileButton.setAccessibleName(QCoreApplication.translate("SetupAccountPage", u"\u5e02\u533a\u753a\u6751\u8a2d\u5b9a\u30d5\u30a1\u30a4\u30eb\u3092\u9078\u3076", None))
#endif // QT_CONFIG(accessibility)
        self.municipalityMessage.setText("")
#if QT_CONFIG(accessibility)
        self.municipalityMessage.setAccessibleName(QCoreApplication.translate("SetupAccountPage", u"\u81ea\u6cbb\u4f53\u306e\u8a2d\u5b9a\u306e\u78ba\u8a8d", None))
#endif // QT_CONFIG(accessibility)
        self.displayNameLabel.setText(QCoreApplication.translate("SetupAccountPage", u"\u6c0f\u540d(&D)", None))
#if QT_CONFIG(accessibility)
        self.displayNameEdit.setAccessibleName(QCoreApplication.translate("SetupAccountPage", u"\u6700\u521d\u306e\u7ba1\u7406\u8005\u306e\u6c0f\u540d\uff08\u66f8\u985e\u306b\u5370\u5237\u3055\u308c\u307e\u3059\uff09", None))
#endif // QT_CONFIG(accessibility)
        self.displayNameEdit.setPlaceholderText(QCoreApplication.translate("SetupAccountPage", u"\u4f8b: \u5c71\u7530 \u82b1\u5b50\uff08\u66f8\u985e\u306b\u5370\u5237\u3055\u308c\u307e\u3059\uff09", None))
        self.userLabel.setText(QCoreApplication.translate("SetupAccountPage", u"\u30ed\u30b0\u30a4\u30f3\u540d(&U)", None))
#if QT_CONFIG(accessibility)
        self.userEdit.setAccessibleName(QCoreApplication.translate("SetupAccountPage", u"\u6700\u521d\u306e\u7ba1\u7406\u8005\u306e\u30ed\u30b0\u30a4\u30f3\u540d", None))
#endif // QT_CONFIG(accessibility)
        self.passphraseLabel.setText(QCoreApplication.translate("SetupAccountPage", u"\u30d1\u30b9\u30d5\u30ec\u30fc\u30ba(&P)", None))
#if QT_CONFIG(accessibility)
        self.passphraseEdit.setAccessibleName(QCoreApplication.translate("SetupAccountPage", u"\u30d1\u30b9\u30d5\u30ec\u30fc\u30ba", None))
#endif // QT_CONFIG(accessibility)
        self.confirmLabel.setText(QCoreApplication.translate("SetupAccountPage", u"\u78ba\u8a8d\u306e\u305f\u3081\u518d\u5165\u529b(&R)", None))
#if QT_CONFIG(accessibility)
        self.confirmEdit.setAccessibleName(QCoreApplication.translate("SetupAccountPage", u"\u30d1\u30b9\u30d5\u30ec\u30fc\u30ba\u306e\u518d\u5165\u529b", None))
#endif // QT_CONFIG(accessibility)
        self.feedbackLabel.setText("")
#if QT_CONFIG(accessibility)
        self.feedbackLabel.setAccessibleName(QCoreApplication.translate("SetupAccountPage", u"\u30d1\u30b9\u30d5\u30ec\u30fc\u30ba\u306e\u5224\u5b9a", None))
#endif // QT_CONFIG(accessibility)
        self.policyLabel.setText(QCoreApplication.translate("SetupAccountPage", u"\u30d1\u30b9\u30d5\u30ec\u30fc\u30ba\u306f12\u6587\u5b57\u4ee5\u4e0a\u306b\u3057\u3066\u304f\u3060\u3055\u3044\uff08\u65e5\u672c\u8a9e\u3082\u4f7f\u3048\u307e\u3059\uff09\u3002\u3088\u304f\u4f7f\u308f\u308c\u308b\u8a9e\u53e5\u306f\u4f7f\u3048\u307e\u305b\u3093\u3002\u5fd8\u308c\u308b\u3068\u5143\u306b\u623b\u305b\u307e\u305b\u3093\u3002", None))
        pass
    # retranslateUi

