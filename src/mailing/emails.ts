/** Mails of the mailing lists, in the recipient's language (en, es, pt, fr). */
import type { MailTemplate } from '../mail/render.ts';
import type { Localized } from '../i18n/locales.ts';

export const confirmSubscription: MailTemplate = {
  subject: {
    en: 'Confirm your subscription to {list}',
    es: 'Confirme su suscripción a {list}',
    pt: 'Confirme a sua subscrição de {list}',
    fr: 'Confirmez votre abonnement à {list}',
  },
  text: {
    en: 'Someone (hopefully you) asked to subscribe {email} to {list}.\n\nConfirm within {hours} hours:\n{link}\n\nIf it was not you, ignore this message: nothing will be sent.\n',
    es: 'Alguien (esperamos que usted) pidió suscribir {email} a {list}.\n\nConfirme en las próximas {hours} horas:\n{link}\n\nSi no fue usted, ignore este mensaje: no se enviará nada.\n',
    pt: 'Alguém (esperamos que você) pediu para subscrever {email} em {list}.\n\nConfirme nas próximas {hours} horas:\n{link}\n\nSe não foi você, ignore esta mensagem: nada será enviado.\n',
    fr: "Quelqu'un (vous, espérons-le) a demandé l'abonnement de {email} à {list}.\n\nConfirmez dans les {hours} heures :\n{link}\n\nSi ce n'était pas vous, ignorez ce message : rien ne sera envoyé.\n",
  },
};

/** Appended to every list message. */
export const listFooter: Record<'public' | 'members', Localized> = {
  public: {
    en: '--\nYou receive this because you subscribed to {list}.\nPreferences: {manage}\nUnsubscribe: {unsubscribe}\n',
    es: '--\nRecibe este mensaje porque se suscribió a {list}.\nPreferencias: {manage}\nDarse de baja: {unsubscribe}\n',
    pt: '--\nRecebe esta mensagem porque subscreveu {list}.\nPreferências: {manage}\nCancelar subscrição: {unsubscribe}\n',
    fr: '--\nVous recevez ce message car vous êtes abonné à {list}.\nPréférences : {manage}\nSe désabonner : {unsubscribe}\n',
  },
  members: {
    en: '--\nYou receive this as a member of {list}.\nUnsubscribe: {unsubscribe}\n',
    es: '--\nRecibe este mensaje como miembro de {list}.\nDarse de baja: {unsubscribe}\n',
    pt: '--\nRecebe esta mensagem como membro de {list}.\nCancelar subscrição: {unsubscribe}\n',
    fr: '--\nVous recevez ce message en tant que membre de {list}.\nSe désabonner : {unsubscribe}\n',
  },
};

/** Sent instead of an AMBER+ alert to members without a usable OpenPGP key. */
export const encryptedAlertNotice: MailTemplate = {
  subject: {
    en: '[{tlp}] New alert on {list}: sign in to read it',
    es: '[{tlp}] Nueva alerta en {list}: inicie sesión para leerla',
    pt: '[{tlp}] Novo alerta em {list}: inicie sessão para o ler',
    fr: '[{tlp}] Nouvelle alerte sur {list} : connectez-vous pour la lire',
  },
  text: {
    en: 'A {tlp} alert was sent to {list}. It can only be mailed encrypted, and we hold no OpenPGP key for your address.\n\nRead it on the platform:\n{link}\n\nAdd your OpenPGP key to the directory to receive such alerts by mail.\n',
    es: 'Se envió una alerta {tlp} a {list}. Solo puede enviarse cifrada y no tenemos una clave OpenPGP para su dirección.\n\nLéala en la plataforma:\n{link}\n\nAñada su clave OpenPGP al directorio para recibir estas alertas por correo.\n',
    pt: 'Foi enviado um alerta {tlp} para {list}. Só pode ser enviado cifrado e não temos uma chave OpenPGP para o seu endereço.\n\nLeia-o na plataforma:\n{link}\n\nAdicione a sua chave OpenPGP ao diretório para receber estes alertas por correio.\n',
    fr: "Une alerte {tlp} a été envoyée à {list}. Elle ne peut être envoyée que chiffrée et nous n'avons pas de clé OpenPGP pour votre adresse.\n\nLisez-la sur la plateforme :\n{link}\n\nAjoutez votre clé OpenPGP à l'annuaire pour recevoir ces alertes par courriel.\n",
  },
};

export const testPrefix: Localized = { en: '[TEST] ', es: '[PRUEBA] ', pt: '[TESTE] ', fr: '[TEST] ' };
