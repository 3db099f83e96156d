/** Account-security emails, in the recipient's language (en, es, pt, fr). */
import type { MailTemplate } from '../mail/render.ts';

export const unlockEmail: MailTemplate = {
  subject: {
    en: 'Hemisphere: your account was locked',
    es: 'Hemisphere: su cuenta fue bloqueada',
    pt: 'Hemisphere: sua conta foi bloqueada',
    fr: 'Hemisphere : votre compte a été verrouillé',
  },
  text: {
    en: 'Hello {name},\n\nThere were {failures} failed sign-in attempts on your account, so it is locked for {minutes} minutes.\nIf it was you, unlock it now with this link (valid {hours} hours):\n\n{link}\n\nIf it was not you, unlock it and consider changing your password.\n',
    es: 'Hola {name}:\n\nHubo {failures} intentos fallidos de inicio de sesión en su cuenta, por lo que está bloqueada durante {minutes} minutos.\nSi fue usted, desbloquéela ahora con este enlace (válido {hours} horas):\n\n{link}\n\nSi no fue usted, desbloquéela y considere cambiar su contraseña.\n',
    pt: 'Olá {name},\n\nHouve {failures} tentativas de acesso falhadas na sua conta, por isso ela está bloqueada por {minutes} minutos.\nSe foi você, desbloqueie-a agora com este link (válido por {hours} horas):\n\n{link}\n\nSe não foi você, desbloqueie-a e considere alterar sua senha.\n',
    fr: 'Bonjour {name},\n\n{failures} tentatives de connexion ont échoué sur votre compte ; il est donc verrouillé pendant {minutes} minutes.\nSi c’était vous, déverrouillez-le maintenant avec ce lien (valable {hours} heures) :\n\n{link}\n\nSi ce n’était pas vous, déverrouillez-le et pensez à changer votre mot de passe.\n',
  },
};

export const passwordResetEmail: MailTemplate = {
  subject: {
    en: 'Hemisphere: reset your password',
    es: 'Hemisphere: restablezca su contraseña',
    pt: 'Hemisphere: redefina sua senha',
    fr: 'Hemisphere : réinitialisez votre mot de passe',
  },
  text: {
    en: 'Hello {name},\n\nSomeone asked to reset the password of your Hemisphere account. To choose a new password, open this link (valid 1 hour, usable once):\n\n{link}\n\nIf you did not ask for this, ignore this message: your password stays as it is.\n',
    es: 'Hola {name}:\n\nAlguien pidió restablecer la contraseña de su cuenta de Hemisphere. Para elegir una nueva contraseña, abra este enlace (válido 1 hora, de un solo uso):\n\n{link}\n\nSi no lo pidió usted, ignore este mensaje: su contraseña no cambia.\n',
    pt: 'Olá {name},\n\nAlguém pediu para redefinir a senha da sua conta Hemisphere. Para escolher uma nova senha, abra este link (válido por 1 hora, de uso único):\n\n{link}\n\nSe não foi você que pediu, ignore esta mensagem: sua senha continua a mesma.\n',
    fr: 'Bonjour {name},\n\nQuelqu’un a demandé la réinitialisation du mot de passe de votre compte Hemisphere. Pour choisir un nouveau mot de passe, ouvrez ce lien (valable 1 heure, utilisable une fois) :\n\n{link}\n\nSi vous n’avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.\n',
  },
};

export const verifyEmailEmail: MailTemplate = {
  subject: {
    en: 'Hemisphere: confirm your email address',
    es: 'Hemisphere: confirme su dirección de correo',
    pt: 'Hemisphere: confirme seu endereço de e-mail',
    fr: 'Hemisphere : confirmez votre adresse e-mail',
  },
  text: {
    en: 'Hello {name},\n\nPlease confirm that {email} is your address by opening this link (valid {hours} hours):\n\n{link}\n',
    es: 'Hola {name}:\n\nConfirme que {email} es su dirección abriendo este enlace (válido {hours} horas):\n\n{link}\n',
    pt: 'Olá {name},\n\nConfirme que {email} é o seu endereço abrindo este link (válido por {hours} horas):\n\n{link}\n',
    fr: 'Bonjour {name},\n\nConfirmez que {email} est bien votre adresse en ouvrant ce lien (valable {hours} heures) :\n\n{link}\n',
  },
};
